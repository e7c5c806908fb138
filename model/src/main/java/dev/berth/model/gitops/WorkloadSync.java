package dev.berth.model.gitops;

/**
 * One workload of a source against its manifest: Synced, or OutOfSync with what differs ("changed
 * through the API: replicas", "deleted through the API").
 */
public record WorkloadSync(String name, SyncState state, String detail) {}
