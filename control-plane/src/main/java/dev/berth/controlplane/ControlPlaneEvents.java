package dev.berth.controlplane;

/** Event-bus addresses inside the control plane. */
public final class ControlPlaneEvents {
  /** Published with a workload's name when its spec is created, changed or deleted. */
  public static final String WORKLOADS_CHANGED = "berth.workloads.changed";

  private ControlPlaneEvents() {}
}
