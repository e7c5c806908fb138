package dev.berth.model.fleet;

import java.util.List;
import java.util.Map;

/**
 * One container a node must run (the value on berth.assignments, keyed node/container): everything
 * the agent needs, copied from the workload generation it came from, and which of its replicas this
 * is. A unique replica ({@link ReplicaIdentity}) runs only while the node holds its lease.
 */
public record Assignment(
    String containerId,
    String node,
    String workload,
    long generation,
    int replica,
    String image,
    List<String> command,
    List<String> args,
    Map<String, String> env,
    Long cpuLimitMillis,
    Long memoryLimitBytes,
    RestartPolicy restartPolicy,
    Integer restartLimit,
    NetworkMode network,
    List<ContainerPort> ports,
    ReplicaIdentity replicaIdentity,
    Integer pidsLimit,
    SecurityContext securityContext) {

  /** Whether this replica must never run twice at once. */
  public boolean unique() {
    return replicaIdentity == ReplicaIdentity.UNIQUE;
  }
}
