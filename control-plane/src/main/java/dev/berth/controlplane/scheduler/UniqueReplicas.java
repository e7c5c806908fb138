package dev.berth.controlplane.scheduler;

import java.util.Map;
import java.util.Set;

/**
 * Where the replicas of unique workloads may still run, for the placer: the nodes whose lease ran
 * out less than the safety margin ago (they may not have stopped them yet), and, by {@link #key},
 * the node each such replica is placed on or reported running on (alive or within the margin).
 */
public record UniqueReplicas(Set<String> fencingNodes, Map<String, String> holders) {
  public static UniqueReplicas none() {
    return new UniqueReplicas(Set.of(), Map.of());
  }

  /** The replica identity a unique container stands for, whatever its generation. */
  public static String key(String workload, int replica) {
    return workload + "/" + replica;
  }
}
