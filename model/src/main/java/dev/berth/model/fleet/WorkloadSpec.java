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
    Map<String, String> nodeSelector) {

  /** The replica count, 1 when not given. */
  public int replicaCount() {
    return replicas == null ? 1 : replicas;
  }
}
