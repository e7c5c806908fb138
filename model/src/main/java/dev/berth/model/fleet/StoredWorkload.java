package dev.berth.model.fleet;

/**
 * A workload as the control plane keeps it: the spec and its generation, bumped on every change.
 */
public record StoredWorkload(WorkloadSpec spec, long generation) {}
