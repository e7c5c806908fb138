package dev.berth.model.fleet;

/**
 * A workload as the control plane keeps it: the spec and its generation, bumped on every change,
 * and when it was first created and last changed (null in records written before they were kept).
 */
public record StoredWorkload(
    WorkloadSpec spec, long generation, Long createdAtMillis, Long updatedAtMillis) {
  /** A workload without times (tests, and records written before they were kept). */
  public StoredWorkload(WorkloadSpec spec, long generation) {
    this(spec, generation, null, null);
  }
}
