package dev.berth.model.fleet;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A workload as the control plane keeps it: the spec and its generation, bumped on every change,
 * when it was first created and last changed (null in records written before they were kept), and
 * the GitOps source that manages it (null: applied by hand).
 */
public record StoredWorkload(
    WorkloadSpec spec,
    long generation,
    Long createdAtMillis,
    Long updatedAtMillis,
    @JsonInclude(JsonInclude.Include.NON_NULL) String source) {
  /** A workload without times (tests, and records written before they were kept). */
  public StoredWorkload(WorkloadSpec spec, long generation) {
    this(spec, generation, null, null, null);
  }

  /** A workload applied by hand. */
  public StoredWorkload(
      WorkloadSpec spec, long generation, Long createdAtMillis, Long updatedAtMillis) {
    this(spec, generation, createdAtMillis, updatedAtMillis, null);
  }
}
