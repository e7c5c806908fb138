package dev.berth.controlplane.gitops;

import dev.berth.model.fleet.ContainerReport;
import dev.berth.model.fleet.ContainerState;
import dev.berth.model.fleet.SchedulingStatus;
import dev.berth.model.fleet.StoredWorkload;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether a workload runs as declared, from the agents' reports and the scheduler's status: Healthy
 * when all its replicas of the current generation run, Degraded with the reason when one cannot be
 * placed, failed, or the workload is missing, Progressing while it gets there.
 */
public record WorkloadHealth(String state, String reason) {
  public static final String HEALTHY = "Healthy";
  public static final String PROGRESSING = "Progressing";
  public static final String DEGRADED = "Degraded";

  /** The health of workload {@code name} ({@code w} null: it is not in the fleet). */
  public static WorkloadHealth of(
      String name,
      StoredWorkload w,
      List<ContainerReport> containers,
      SchedulingStatus scheduling) {
    if (w == null) {
      return new WorkloadHealth(DEGRADED, "missing from the fleet");
    }
    int replicas = w.spec().replicaCount();
    if (scheduling != null
        && scheduling.generation() == w.generation()
        && scheduling.unschedulable() > 0) {
      return new WorkloadHealth(
          DEGRADED,
          scheduling.unschedulable()
              + " replicas cannot be placed"
              + (scheduling.reason() == null ? "" : ": " + scheduling.reason()));
    }
    int running = 0;
    for (ContainerReport c : containers) {
      if (c.generation() != w.generation()) {
        continue;
      }
      if (c.state() == ContainerState.FAILED) {
        return new WorkloadHealth(
            DEGRADED,
            "container "
                + c.containerId()
                + " failed"
                + (c.exitCode() == null ? "" : " (exit " + c.exitCode() + ")")
                + (c.message() == null ? "" : ": " + c.message()));
      }
      if (c.state() == ContainerState.RUNNING) {
        running++;
      }
    }
    if (running >= replicas) {
      return new WorkloadHealth(HEALTHY, null);
    }
    return new WorkloadHealth(PROGRESSING, running + "/" + replicas + " replicas running");
  }

  /** The health of each named workload, from the fleet's current reports. */
  public static Map<String, WorkloadHealth> of(
      Collection<String> names,
      Map<String, StoredWorkload> live,
      Collection<ContainerReport> containers,
      Map<String, SchedulingStatus> scheduling) {
    Map<String, List<ContainerReport>> byWorkload = new HashMap<>();
    for (ContainerReport c : containers) {
      byWorkload.computeIfAbsent(c.workload(), k -> new ArrayList<>()).add(c);
    }
    Map<String, WorkloadHealth> out = new HashMap<>();
    for (String n : names) {
      out.put(n, of(n, live.get(n), byWorkload.getOrDefault(n, List.of()), scheduling.get(n)));
    }
    return out;
  }

  /** The worst of several: Degraded, then Progressing, then Healthy (nothing: Healthy). */
  public static WorkloadHealth worst(Collection<WorkloadHealth> all) {
    WorkloadHealth worst = new WorkloadHealth(HEALTHY, null);
    for (WorkloadHealth h : all) {
      if (rank(h) > rank(worst)) {
        worst = h;
      }
    }
    return worst;
  }

  private static int rank(WorkloadHealth h) {
    return switch (h.state()) {
      case DEGRADED -> 2;
      case PROGRESSING -> 1;
      default -> 0;
    };
  }
}
