package dev.berth.model.gitops;

import java.util.List;

/**
 * What the sync controller last did with a source (Hazelcast map "gitops"): the commit last fetched
 * (or why fetching failed), the commit last synced, the sync state and its reason, the problems of
 * the last commit that could not be applied, each workload against its manifest, orphans (left the
 * repository, kept because prune is off), conflicts (claimed by another source) and the last 20
 * syncs, newest first.
 */
public record GitSourceStatus(
    String source,
    long sourceGeneration,
    FetchedCommit lastFetched,
    Long fetchedAtMillis,
    String fetchError,
    FetchedCommit lastSynced,
    Long syncedAtMillis,
    SyncState sync,
    String message,
    List<String> errors,
    List<WorkloadSync> workloads,
    List<String> orphans,
    List<String> conflicts,
    List<SyncRecord> history) {
  public static final int HISTORY = 20;

  /** A source nothing has been done with yet. */
  public static GitSourceStatus unknown(String source, long generation) {
    return new GitSourceStatus(
        source,
        generation,
        null,
        null,
        null,
        null,
        null,
        SyncState.UNKNOWN,
        "not fetched yet",
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        List.of());
  }
}
