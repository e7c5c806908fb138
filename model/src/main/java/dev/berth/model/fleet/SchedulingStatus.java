package dev.berth.model.fleet;

import java.io.Serializable;
import java.util.Map;

/**
 * How the scheduler's last pass placed a workload (map "scheduling"): of which generation, how many
 * replicas have a node, and for each one that has none, why (for example "no node fits (a: hostPort
 * 8080/TCP in use)").
 */
public record SchedulingStatus(
    String workload, long generation, int placed, Map<String, String> unschedulable)
    implements Serializable {
  public SchedulingStatus {
    unschedulable = Map.copyOf(unschedulable);
  }
}
