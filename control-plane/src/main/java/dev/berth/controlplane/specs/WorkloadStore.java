package dev.berth.controlplane.specs;

import static dev.berth.model.fleet.WorkloadTopic.TOPIC;

import dev.berth.controlplane.kafka.CompactedTopicView;
import dev.berth.controlplane.kafka.TransactionalWriter;
import dev.berth.model.fleet.KafkaAccess;
import dev.berth.model.fleet.SpecLimits;
import dev.berth.model.fleet.StoredWorkload;
import dev.berth.model.fleet.WorkloadSpec;
import dev.berth.model.fleet.WorkloadSpecs;
import dev.berth.model.fleet.WorkloadSpecs.InvalidWorkloadException;
import dev.berth.model.fleet.WorkloadTopic;
import dev.berth.model.runtime.ValidationError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;

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
    // A workload a GitOps source manages stays its, changed by hand: the source sees the drift.
    StoredWorkload next = next(current, spec, current == null ? null : current.source());
    view.write(spec.name(), WorkloadTopic.encode(next));
    return new ApplyResult(
        current == null ? ApplyResult.Outcome.CREATED : ApplyResult.Outcome.UPDATED, next);
  }

  private static StoredWorkload next(StoredWorkload current, WorkloadSpec spec, String source) {
    long now = System.currentTimeMillis();
    return new StoredWorkload(
        spec,
        current == null ? 1 : current.generation() + 1,
        current == null || current.createdAtMillis() == null ? now : current.createdAtMillis(),
        now,
        source);
  }

  /**
   * Applies one GitOps sync of {@code source} as a single transaction (seen all at once or not at
   * all): each of {@code puts} created, updated, or only claimed by the source when its spec is
   * already the same (no new generation), and each of {@code deletes} removed. {@code beforeCommit}
   * runs once the records are sent, before the commit (a point for fault injection).
   */
  public synchronized AppliedChanges applyAll(
      String source,
      Collection<WorkloadSpec> puts,
      Collection<String> deletes,
      long maxFleetReplicas,
      TransactionalWriter writer,
      Runnable beforeCommit)
      throws InvalidWorkloadException {
    Map<String, Long> replicas = new HashMap<>();
    view.values().forEach(w -> replicas.put(w.spec().name(), (long) w.spec().replicaCount()));
    puts.forEach(w -> replicas.put(w.name(), (long) w.replicaCount()));
    deletes.forEach(replicas::remove);
    long total = replicas.values().stream().mapToLong(Long::longValue).sum();
    if (total > maxFleetReplicas) {
      throw new InvalidWorkloadException(
          List.of(
              new ValidationError(
                  "replicas",
                  "the fleet would run "
                      + total
                      + " replicas, more than its cap of "
                      + maxFleetReplicas)));
    }
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    List<String> created = new ArrayList<>();
    List<String> updated = new ArrayList<>();
    List<String> claimed = new ArrayList<>();
    List<String> deleted = new ArrayList<>();
    for (WorkloadSpec spec : puts) {
      StoredWorkload current = view.get(spec.name()).orElse(null);
      StoredWorkload next;
      if (current != null
          && Arrays.equals(
              WorkloadSpecs.canonicalJson(current.spec()), WorkloadSpecs.canonicalJson(spec))) {
        if (source.equals(current.source())) {
          continue;
        }
        next =
            new StoredWorkload(
                current.spec(),
                current.generation(),
                current.createdAtMillis(),
                current.updatedAtMillis(),
                source);
        claimed.add(spec.name());
      } else {
        next = next(current, spec, source);
        (current == null ? created : updated).add(spec.name());
      }
      records.add(new ProducerRecord<>(TOPIC, spec.name(), WorkloadTopic.encode(next)));
    }
    for (String name : deletes) {
      if (view.get(name).isPresent()) {
        records.add(new ProducerRecord<>(TOPIC, name, null));
        deleted.add(name);
      }
    }
    long last = writer.write(records, beforeCommit);
    if (last >= 0) {
      view.awaitOffset(last);
    }
    return new AppliedChanges(created, updated, claimed, deleted);
  }

  /** Waits until this store holds every change written to the topic so far (a new leader). */
  public void catchUp() {
    view.catchUp();
  }

  /**
   * Calls {@code listener} (on the topic's follower thread: return quickly) with every workload
   * name that changes from now on, and its new state (null: deleted).
   */
  public void addListener(BiConsumer<String, StoredWorkload> listener) {
    view.addListener(listener);
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
