package dev.berth.controlplane.specs;

import static dev.berth.model.fleet.WorkloadTopic.TOPIC;

import dev.berth.controlplane.kafka.CompactedTopicView;
import dev.berth.model.fleet.KafkaAccess;
import dev.berth.model.fleet.SpecLimits;
import dev.berth.model.fleet.StoredWorkload;
import dev.berth.model.fleet.WorkloadSpec;
import dev.berth.model.fleet.WorkloadSpecs;
import dev.berth.model.fleet.WorkloadSpecs.InvalidWorkloadException;
import dev.berth.model.fleet.WorkloadTopic;
import dev.berth.model.runtime.ValidationError;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Desired workloads on the compacted topic berth.workloads (key: name, value: spec and generation,
 * tombstone: deleted). An answered apply is durable; every control plane sees every apply (see
 * {@link CompactedTopicView}). Blocking: call it from a worker.
 */
public final class WorkloadStore implements AutoCloseable {
  private final CompactedTopicView<StoredWorkload> view;

  private WorkloadStore(CompactedTopicView<StoredWorkload> view) {
    this.view = view;
  }

  /** Makes sure the topic exists, reads it from the beginning, and is ready for applies. */
  public static WorkloadStore open(KafkaAccess kafka) {
    return new WorkloadStore(CompactedTopicView.open(kafka, TOPIC, WorkloadTopic::decode));
  }

  /**
   * Stores a spec: created, or updated with the next generation, or left alone when it is the same
   * spec.
   */
  public synchronized ApplyResult apply(WorkloadSpec spec) throws InvalidWorkloadException {
    return apply(spec, SpecLimits.DEFAULT.maxFleetReplicas());
  }

  /**
   * Stores {@code spec} unless the fleet's replicas, the workload's old count replaced by its new
   * one, would exceed {@code maxFleetReplicas}.
   */
  public synchronized ApplyResult apply(WorkloadSpec spec, long maxFleetReplicas)
      throws InvalidWorkloadException {
    long others =
        view.values().stream()
            .filter(w -> !w.spec().name().equals(spec.name()))
            .mapToLong(w -> w.spec().replicaCount())
            .sum();
    if (others + spec.replicaCount() > maxFleetReplicas) {
      throw new InvalidWorkloadException(
          List.of(
              new ValidationError(
                  "replicas",
                  "the fleet would run "
                      + (others + spec.replicaCount())
                      + " replicas, more than its cap of "
                      + maxFleetReplicas)));
    }
    StoredWorkload current = view.get(spec.name()).orElse(null);
    if (current != null
        && Arrays.equals(
            WorkloadSpecs.canonicalJson(current.spec()), WorkloadSpecs.canonicalJson(spec))) {
      return new ApplyResult(ApplyResult.Outcome.UNCHANGED, current);
    }
    long now = System.currentTimeMillis();
    StoredWorkload next =
        new StoredWorkload(
            spec,
            current == null ? 1 : current.generation() + 1,
            current == null || current.createdAtMillis() == null ? now : current.createdAtMillis(),
            now);
    view.write(spec.name(), WorkloadTopic.encode(next));
    return new ApplyResult(
        current == null ? ApplyResult.Outcome.CREATED : ApplyResult.Outcome.UPDATED, next);
  }

  /** How many records of the topic could not be read and were skipped. */
  public long unreadableRecords() {
    return view.unreadableRecords();
  }

  public Optional<StoredWorkload> get(String name) {
    return view.get(name);
  }

  public List<StoredWorkload> list() {
    return view.values().stream().sorted(Comparator.comparing(w -> w.spec().name())).toList();
  }

  /** Deletes a workload (a tombstone); false when there was none. */
  public synchronized boolean delete(String name) {
    if (view.get(name).isEmpty()) {
      return false;
    }
    view.write(name, null);
    return true;
  }

  @Override
  public void close() {
    view.close();
  }
}
