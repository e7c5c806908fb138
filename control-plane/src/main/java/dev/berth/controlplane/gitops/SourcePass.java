package dev.berth.controlplane.gitops;

import dev.berth.controlplane.kafka.TransactionalWriter;
import dev.berth.controlplane.specs.AppliedChanges;
import dev.berth.controlplane.specs.WorkloadStore;
import dev.berth.model.fleet.SpecLimits;
import dev.berth.model.fleet.StoredWorkload;
import dev.berth.model.fleet.WorkloadSpec;
import dev.berth.model.fleet.WorkloadSpecs.InvalidWorkloadException;
import dev.berth.model.gitops.FetchedCommit;
import dev.berth.model.gitops.GitSourceSpec;
import dev.berth.model.gitops.GitSourceStatus;
import dev.berth.model.gitops.StoredGitSource;
import dev.berth.model.gitops.SyncRecord;
import dev.berth.model.gitops.SyncState;
import dev.berth.model.gitops.WorkloadSync;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * One pass of the sync controller over one source (blocking: on a worker, one pass per source at a
 * time): fetch, read and validate the manifests, compare with the fleet, apply the difference as
 * one transaction when the source may, and say where it stands. A commit with any problem, or a
 * workload another source manages, applies nothing.
 */
final class SourcePass {
  private final WorkloadStore store;
  private final GitSourceStore sources;
  private final SourceFetcher fetcher;
  private final TransactionalWriter writer;
  private final SpecLimits limits;
  private final LongSupplier clock;

  /** Runs between sending a sync's records and committing them (fault injection in tests). */
  volatile Runnable beforeCommit = () -> {};

  SourcePass(
      WorkloadStore store,
      GitSourceStore sources,
      SourceFetcher fetcher,
      TransactionalWriter writer,
      SpecLimits limits,
      LongSupplier clock) {
    this.store = store;
    this.sources = sources;
    this.fetcher = fetcher;
    this.writer = writer;
    this.limits = limits;
    this.clock = clock;
  }

  /**
   * Runs the pass; the source's status after it.
   *
   * @throws TransactionalWriter.FencedException when another control plane took over the writes
   */
  GitSourceStatus run(
      StoredGitSource source, SourceProgress p, SyncTrigger trigger, String revision) {
    GitSourceSpec spec = source.spec();
    String name = spec.name();
    long now = clock.getAsLong();
    long started = System.nanoTime();
    p.wrote = false;
    Map<String, WorkloadSpec> candidate = p.desired;
    FetchedCommit commit = p.lastSynced;
    String failure = null;
    List<String> errors = List.of();
    if (trigger.fetches() || p.desired == null) {
      try {
        commit = fetcher.fetch(spec, revision == null ? spec.revisionOrHead() : revision);
        p.lastFetched = commit;
        p.fetchedAtMillis = now;
        p.fetchError = null;
        if (commit.sha().equals(p.invalidSha)) {
          errors = p.invalidErrors;
        } else if (!commit.sha().equals(p.desiredSha())) {
          SourceManifests.Result read = fetcher.manifests(spec, commit.sha());
          if (read.valid()) {
            candidate = byName(read.specs());
            if (p.desired == null
                && p.lastSynced != null
                && p.lastSynced.sha().equals(commit.sha())) {
              // an earlier leader synced this very commit: it is what drift is measured against,
              // not a new commit to apply (a failover must not undo changes selfHeal leaves alone)
              p.desired = candidate;
            }
          } else {
            errors = read.errors().stream().map(ManifestError::toString).toList();
            p.invalidSha = commit.sha();
            p.invalidErrors = errors;
          }
        }
      } catch (IOException e) {
        p.fetchError = e.getMessage();
        p.fetchedAtMillis = now;
        failure = e.getMessage();
      }
      if (!errors.isEmpty()) {
        failure =
            "commit "
                + shortSha(commit)
                + " not applied: "
                + errors.size()
                + (errors.size() == 1 ? " problem" : " problems")
                + " in its manifests";
      }
    }
    Map<String, StoredWorkload> live = live();
    if (candidate == null) {
      // nothing valid has been read yet: nothing to compare with
      p.record(failed(commit, now, trigger, started, failure));
      return status(source, p, SyncState.FAILED, failure, errors, List.of(), List.of(), List.of());
    }
    boolean fresh = failure == null && commit != null && !commit.sha().equals(p.desiredSha());
    Map<String, WorkloadSpec> target =
        fresh ? candidate : p.desired == null ? candidate : p.desired;
    FetchedCommit targetCommit = fresh ? commit : p.lastSynced == null ? commit : p.lastSynced;
    SyncPlan plan =
        SyncPlanner.plan(name, spec.pruning(), target, live, s -> sources.get(s).isPresent());
    if (failure == null && !plan.conflicts().isEmpty()) {
      failure = "not applied: " + String.join("; ", plan.conflicts());
      errors = plan.conflicts();
    }
    boolean allowed =
        failure == null
            && (trigger == SyncTrigger.MANUAL || (!spec.suspended() && (fresh || spec.healing())));
    String message;
    // a manual sync is always recorded (its caller waits for it), even when nothing changes
    if (allowed && (!plan.inSync() || fresh || trigger == SyncTrigger.MANUAL)) {
      AppliedChanges changes;
      try {
        changes =
            store.applyAll(
                name, plan.puts(), plan.deletes(), limits.maxFleetReplicas(), writer, beforeCommit);
      } catch (InvalidWorkloadException e) {
        failure = "not applied: " + e.getMessage();
        p.record(failed(targetCommit, now, trigger, started, failure));
        return status(
            source,
            p,
            SyncState.FAILED,
            failure,
            List.of(e.getMessage()),
            plan.workloads(),
            plan.orphans(),
            plan.conflicts());
      }
      p.wrote = !changes.none();
      p.desired = target;
      p.lastSynced = targetCommit;
      p.syncedAtMillis = now;
      p.invalidSha = null;
      p.invalidErrors = List.of();
      message =
          "synced "
              + shortSha(targetCommit)
              + " ("
              + changes.created().size()
              + " created, "
              + changes.updated().size()
              + " updated, "
              + changes.deleted().size()
              + " deleted)";
      p.record(
          new SyncRecord(
              targetCommit.sha(),
              now,
              trigger == SyncTrigger.DRIFT ? "selfHeal" : trigger.word(),
              true,
              changes.created().size(),
              changes.updated().size() + changes.claimed().size(),
              changes.deleted().size(),
              elapsed(started),
              message));
      plan =
          SyncPlanner.plan(name, spec.pruning(), target, live(), s -> sources.get(s).isPresent());
    } else if (failure != null) {
      p.record(failed(commit, now, trigger, started, failure));
      return status(
          source,
          p,
          SyncState.FAILED,
          failure,
          errors,
          plan.workloads(),
          plan.orphans(),
          plan.conflicts());
    }
    if (plan.inSync()) {
      message = "synced to " + shortSha(p.lastSynced);
      return status(
          source,
          p,
          SyncState.SYNCED,
          message,
          List.of(),
          plan.workloads(),
          plan.orphans(),
          List.of());
    }
    List<WorkloadSync> differing =
        plan.workloads().stream().filter(w -> w.state() != SyncState.SYNCED).toList();
    message =
        (plan.puts().size() + plan.deletes().size())
            + " workloads differ from "
            + shortSha(targetCommit)
            + (differing.isEmpty()
                ? ""
                : ": "
                    + differing.stream()
                        .limit(3)
                        .map(w -> w.name() + " " + w.detail())
                        .collect(Collectors.joining("; ")))
            + (spec.suspended()
                ? " (suspended)"
                : spec.healing() ? "" : " (selfHeal is off: berth gitops sync " + name + ")");
    return status(
        source,
        p,
        SyncState.OUT_OF_SYNC,
        message,
        List.of(),
        plan.workloads(),
        plan.orphans(),
        plan.conflicts());
  }

  private static SyncRecord failed(
      FetchedCommit commit, long now, SyncTrigger trigger, long started, String failure) {
    return new SyncRecord(
        commit == null ? null : commit.sha(),
        now,
        trigger.word(),
        false,
        0,
        0,
        0,
        elapsed(started),
        failure);
  }

  private static long elapsed(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }

  private Map<String, StoredWorkload> live() {
    Map<String, StoredWorkload> live = new HashMap<>();
    store.list().forEach(w -> live.put(w.spec().name(), w));
    return live;
  }

  private static Map<String, WorkloadSpec> byName(List<WorkloadSpec> specs) {
    Map<String, WorkloadSpec> out = new LinkedHashMap<>();
    specs.forEach(s -> out.put(s.name(), s));
    return out;
  }

  static String shortSha(FetchedCommit c) {
    return c == null ? "(none)" : c.sha().substring(0, 7);
  }

  private static GitSourceStatus status(
      StoredGitSource source,
      SourceProgress p,
      SyncState state,
      String message,
      List<String> errors,
      List<WorkloadSync> workloads,
      List<String> orphans,
      List<String> conflicts) {
    return new GitSourceStatus(
        source.spec().name(),
        source.generation(),
        p.lastFetched,
        p.fetchedAtMillis,
        p.fetchError,
        p.lastSynced,
        p.syncedAtMillis,
        state,
        message,
        List.copyOf(errors),
        List.copyOf(workloads),
        List.copyOf(orphans),
        List.copyOf(conflicts),
        List.copyOf(p.history));
  }
}
