package dev.berth.controlplane.gitops;

import dev.berth.model.fleet.WorkloadSpec;
import dev.berth.model.gitops.FetchedCommit;
import dev.berth.model.gitops.GitSourceStatus;
import dev.berth.model.gitops.SyncRecord;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * What the sync controller remembers of one source between passes (one pass at a time touches it):
 * the commit last fetched and the one last applied with its specs (what drift is measured against),
 * the last commit found invalid and why (not read again until the branch moves), and the history.
 */
final class SourceProgress {
  FetchedCommit lastFetched;
  Long fetchedAtMillis;
  String fetchError;
  FetchedCommit lastSynced;
  Long syncedAtMillis;

  /** The specs of {@link #lastSynced}, by name; null until a commit was applied in this process. */
  volatile Map<String, WorkloadSpec> desired;

  String invalidSha;
  List<String> invalidErrors = List.of();
  final Deque<SyncRecord> history = new ArrayDeque<>();
  volatile GitSourceStatus written;

  /** Whether the last pass wrote to berth.workloads (the scheduler is told at once). */
  boolean wrote;

  /** Carries over what an earlier leader reported (history, last synced) after a failover. */
  static SourceProgress from(GitSourceStatus earlier) {
    SourceProgress p = new SourceProgress();
    if (earlier != null) {
      p.lastFetched = earlier.lastFetched();
      p.fetchedAtMillis = earlier.fetchedAtMillis();
      p.lastSynced = earlier.lastSynced();
      p.syncedAtMillis = earlier.syncedAtMillis();
      p.history.addAll(earlier.history());
    }
    return p;
  }

  /** Adds a sync to the history, unless it repeats the failure just before it. */
  void record(SyncRecord r) {
    SyncRecord last = history.peekFirst();
    if (!r.succeeded()
        && last != null
        && !last.succeeded()
        && last.message().equals(r.message())
        && java.util.Objects.equals(last.sha(), r.sha())) {
      return;
    }
    history.addFirst(r);
    while (history.size() > GitSourceStatus.HISTORY) {
      history.removeLast();
    }
  }

  String desiredSha() {
    return desired == null || lastSynced == null ? null : lastSynced.sha();
  }
}
