package dev.berth.model.fleet;

import java.util.List;
import java.util.Map;

/** A workload as users write it: what to run, how many replicas, with what resources, where. */
public record WorkloadSpec(
    String name,
    String image,
    List<String> command,
    List<String> args,
    Map<String, String> env,
    Integer replicas,
    ResourceRequirements resources,
    RestartPolicy restartPolicy,
    Integer restartLimit,
    Map<String, String> nodeSelector,
    List<ContainerPort> ports,
    NetworkMode network,
    ReplicaIdentity replicaIdentity,
    SecurityContext securityContext) {

  /** The replica count, 1 when not given. */
  public int replicaCount() {
    return replicas == null ? 1 : replicas;
  }

  /** The ports, none when not given. */
  public List<ContainerPort> portList() {
    return ports == null ? List.of() : ports;
  }

  /** The network mode, the node's network when not given. */
  public NetworkMode networkMode() {
    return network == null ? NetworkMode.DEFAULT : network;
  }

  /** Whether a replica may run twice at once: shared (the default) or unique. */
  public ReplicaIdentity identity() {
    return replicaIdentity == null ? ReplicaIdentity.SHARED : replicaIdentity;
  }
}
