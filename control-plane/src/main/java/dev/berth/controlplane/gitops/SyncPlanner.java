package dev.berth.controlplane.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.JsonMapping;
import dev.berth.model.fleet.StoredWorkload;
import dev.berth.model.fleet.WorkloadSpec;
import dev.berth.model.fleet.WorkloadSpecs;
import dev.berth.model.gitops.SyncState;
import dev.berth.model.gitops.WorkloadSync;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Compares a source's manifests with the fleet's workloads and says what a sync would do ({@link
 * SyncPlan}). A workload belongs to the source that last applied it; one that nobody manages, or
 * whose source is gone, may be claimed; one another source manages is a conflict.
 */
public final class SyncPlanner {
  private SyncPlanner() {}

  /**
   * The plan for {@code source} with the manifests {@code desired} (by name) against {@code live};
   * {@code sourceExists} says whether a source of that name is still declared.
   */
  public static SyncPlan plan(
      String source,
      boolean prune,
      Map<String, WorkloadSpec> desired,
      Map<String, StoredWorkload> live,
      Predicate<String> sourceExists) {
    List<WorkloadSpec> puts = new ArrayList<>();
    List<String> conflicts = new ArrayList<>();
    List<WorkloadSync> workloads = new ArrayList<>();
    for (WorkloadSpec want : new java.util.TreeMap<>(desired).values()) {
      StoredWorkload have = live.get(want.name());
      if (have != null
          && have.source() != null
          && !have.source().equals(source)
          && sourceExists.test(have.source())) {
        conflicts.add(want.name() + " is managed by source " + have.source());
        workloads.add(
            new WorkloadSync(
                want.name(),
                SyncState.OUT_OF_SYNC,
                "managed by source " + have.source() + ": not applied"));
        continue;
      }
      WorkloadSync state = compare(want, have);
      if (state.state() != SyncState.SYNCED || have == null || !source.equals(have.source())) {
        puts.add(want);
      }
      workloads.add(state);
    }
    List<String> deletes = new ArrayList<>();
    List<String> orphans = new ArrayList<>();
    Set<String> owned = new TreeSet<>();
    live.values().stream()
        .filter(w -> source.equals(w.source()) && !desired.containsKey(w.spec().name()))
        .forEach(w -> owned.add(w.spec().name()));
    (prune ? deletes : orphans).addAll(owned);
    return new SyncPlan(
        List.copyOf(puts),
        List.copyOf(deletes),
        List.copyOf(orphans),
        List.copyOf(conflicts),
        List.copyOf(workloads));
  }

  /** One workload against its manifest: Synced, or OutOfSync with what differs. */
  public static WorkloadSync compare(WorkloadSpec want, StoredWorkload have) {
    if (have == null) {
      return new WorkloadSync(want.name(), SyncState.OUT_OF_SYNC, "missing: not in the fleet");
    }
    if (Arrays.equals(
        WorkloadSpecs.canonicalJson(want), WorkloadSpecs.canonicalJson(have.spec()))) {
      return new WorkloadSync(want.name(), SyncState.SYNCED, null);
    }
    return new WorkloadSync(
        want.name(),
        SyncState.OUT_OF_SYNC,
        "differs in " + String.join(", ", differing(want, have.spec())));
  }

  /** The top-level fields in which two specs differ, in spec order. */
  static Collection<String> differing(WorkloadSpec a, WorkloadSpec b) {
    JsonNode x = JsonMapping.mapper().valueToTree(a);
    JsonNode y = JsonMapping.mapper().valueToTree(b);
    List<String> fields = new ArrayList<>();
    Set<String> names = new java.util.LinkedHashSet<>();
    x.fieldNames().forEachRemaining(names::add);
    y.fieldNames().forEachRemaining(names::add);
    for (Iterator<String> it = names.iterator(); it.hasNext(); ) {
      String f = it.next();
      if (!x.path(f).equals(y.path(f))) {
        fields.add(f);
      }
    }
    return fields;
  }
}
