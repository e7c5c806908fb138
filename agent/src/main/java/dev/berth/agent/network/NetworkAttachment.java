package dev.berth.agent.network;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.network.CniResult;
import dev.berth.model.network.PortMapping;
import java.util.List;

/**
 * What a container's network is attached with, recorded before ADD and completed after it, so that
 * DEL runs with exactly what ADD used (the network's config list as it was, the namespace, the
 * ports) also after an agent crash or a config change; {@code result} is null while ADD has not
 * finished, and one of its results is null for a network whose failed ADD could not be undone.
 */
public record NetworkAttachment(
    String containerId,
    String netns,
    String ifName,
    List<ObjectNode> networks,
    List<PortMapping> ports,
    List<CniResult> results) {
  public NetworkAttachment {
    networks = List.copyOf(networks);
    ports = List.copyOf(ports);
    // a null result: a network whose ADD failed and whose own undo failed too (DEL it again)
    results =
        results == null
            ? List.of()
            : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(results));
  }

  /**
   * Only the networks whose ADD finished: what is left to detach when the next ADD failed and undid
   * itself.
   */
  public NetworkAttachment attachedOnly() {
    return new NetworkAttachment(
        containerId, netns, ifName, networks.subList(0, results.size()), ports, results);
  }

  /** The gateway of the container's address on its main network (the bridge), if it has one. */
  public String gateway() {
    if (results.isEmpty() || results.get(results.size() - 1) == null) {
      return null;
    }
    return results
        .get(results.size() - 1)
        .containerIp(ifName)
        .map(CniResult.Ip::gateway)
        .orElse(null);
  }

  /** The container's address on its main network (the last one attached), if it has one yet. */
  public String ip() {
    if (results.isEmpty() || results.get(results.size() - 1) == null) {
      return null;
    }
    return results.get(results.size() - 1).containerIp(ifName).map(CniResult.Ip::host).orElse(null);
  }
}
