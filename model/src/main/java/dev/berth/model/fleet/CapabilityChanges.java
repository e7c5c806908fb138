package dev.berth.model.fleet;

import java.util.List;
import java.util.Locale;

/**
 * Capabilities added to and dropped from the node's default set ("NET_ADMIN" or "CAP_NET_ADMIN";
 * "ALL" drops every one), as Kubernetes' securityContext.capabilities.
 */
public record CapabilityChanges(List<String> add, List<String> drop) {
  /** The name as the kernel and the runtime spec write it: "CAP_NET_ADMIN" (or "ALL"). */
  public static String canonical(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    return upper.equals("ALL") || upper.startsWith("CAP_") ? upper : "CAP_" + upper;
  }

  public List<String> addList() {
    return add == null ? List.of() : add.stream().map(CapabilityChanges::canonical).toList();
  }

  public List<String> dropList() {
    return drop == null ? List.of() : drop.stream().map(CapabilityChanges::canonical).toList();
  }
}
