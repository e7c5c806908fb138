package dev.berth.controlplane.specs;

import static dev.berth.model.fleet.WorkloadTopic.TOPIC;

import dev.berth.controlplane.kafka.KafkaTopics;
import dev.berth.model.fleet.KafkaClientConfig;
import dev.berth.model.fleet.SpecLimits;
import dev.berth.model.fleet.StoredWorkload;
import dev.berth.model.fleet.UnreadableRecords;
import dev.berth.model.fleet.WorkloadSpec;
import dev.berth.model.fleet.WorkloadSpecs;
import dev.berth.model.fleet.WorkloadSpecs.InvalidWorkloadException;
import dev.berth.model.fleet.WorkloadTopic;
import dev.berth.model.runtime.ValidationError;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Desired workloads on the compacted topic berth.workloads (key: name, value: spec and generation,
 * tombstone: deleted). Writes are synchronous, idempotent and acks=all, so an answered apply is
 * durable; the in-memory view is rebuilt from offset 0 when the store opens and follows the topic
 * while it is open, so every control plane sees every apply. Blocking: call it from a worker.
 */
public final class WorkloadStore implements AutoCloseable {

  private final KafkaProducer<String, byte[]> producer;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Map<String, StoredWorkload> view = new ConcurrentHashMap<>();
  private final UnreadableRecords unreadable = new UnreadableRecords(TOPIC);
  private final Thread follower;
  private final Object progress = new Object();
  private long
      nextOffset; // guarded by progress: the offset after the last record applied to the view
  private volatile boolean closed;
  private volatile RuntimeException failure;

  private WorkloadStore(
      KafkaProducer<String, byte[]> producer, KafkaConsumer<String, byte[]> consumer) {
    this.producer = producer;
    this.consumer = consumer;
    this.follower = new Thread(this::follow, "berth-workloads-follower");
    this.follower.setDaemon(true);
  }

  /** Makes sure the topic exists, reads it from the beginning, and is ready for applies. */
  public static WorkloadStore open(String bootstrapServers) {
    KafkaTopics.ensure(
        bootstrapServers,
        new NewTopic(TOPIC, WorkloadTopic.PARTITIONS, (short) 1)
            .configs(Map.of("cleanup.policy", "compact", "min.insync.replicas", "1")));
    KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(KafkaClientConfig.durableProducer(bootstrapServers, 0));
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            KafkaClientConfig.with(
                KafkaClientConfig.assignedConsumer(bootstrapServers), "fetch.max.wait.ms", 100));
    TopicPartition p = new TopicPartition(TOPIC, 0);
    consumer.assign(List.of(p));
    consumer.seekToBeginning(List.of(p));
    long end = consumer.endOffsets(List.of(p)).get(p);
    WorkloadStore store = new WorkloadStore(producer, consumer);
    store.follower.start();
    store.awaitApplied(end);
    return store;
  }

  /**
   * Follows the topic for as long as the store is open, so that a standby control plane sees what
   * another one applied. The view changes only here, in log order; writers wait until their record
   * came back.
   */
  private void follow() {
    try {
      while (!closed) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          if (r.value() == null) {
            view.remove(r.key());
          } else {
            try {
              view.put(r.key(), WorkloadTopic.decode(r.value()));
            } catch (RuntimeException e) {
              unreadable.skipped(r.partition(), r.offset(), r.key(), e);
            }
          }
        }
        long position = consumer.position(new TopicPartition(TOPIC, 0));
        synchronized (progress) {
          nextOffset = position;
          progress.notifyAll();
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      failure = e;
      synchronized (progress) {
        progress.notifyAll();
      }
    } finally {
      consumer.close();
    }
  }

  private void awaitApplied(long offset) {
    long deadline = System.currentTimeMillis() + 60_000;
    synchronized (progress) {
      while (nextOffset < offset) {
        if (failure != null) {
          throw new IllegalStateException(
              "cannot follow " + TOPIC + ": " + failure.getMessage(), failure);
        }
        long left = deadline - System.currentTimeMillis();
        if (closed || left <= 0) {
          throw new IllegalStateException("timed out reading " + TOPIC + " up to offset " + offset);
        }
        try {
          progress.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted reading " + TOPIC, e);
        }
      }
    }
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
    StoredWorkload current = view.get(spec.name());
    if (current != null
        && Arrays.equals(
            WorkloadSpecs.canonicalJson(current.spec()), WorkloadSpecs.canonicalJson(spec))) {
      return new ApplyResult(ApplyResult.Outcome.UNCHANGED, current);
    }
    StoredWorkload next = new StoredWorkload(spec, current == null ? 1 : current.generation() + 1);
    send(spec.name(), WorkloadTopic.encode(next));
    return new ApplyResult(
        current == null ? ApplyResult.Outcome.CREATED : ApplyResult.Outcome.UPDATED, next);
  }

  /** How many records of the topic could not be read and were skipped. */
  public long unreadableRecords() {
    return unreadable.count();
  }

  public Optional<StoredWorkload> get(String name) {
    return Optional.ofNullable(view.get(name));
  }

  public List<StoredWorkload> list() {
    return view.values().stream().sorted(Comparator.comparing(w -> w.spec().name())).toList();
  }

  /** Deletes a workload (a tombstone); false when there was none. */
  public synchronized boolean delete(String name) {
    if (!view.containsKey(name)) {
      return false;
    }
    send(name, null);
    return true;
  }

  private void send(String key, byte[] value) {
    try {
      long offset = producer.send(new ProducerRecord<>(TOPIC, key, value)).get().offset();
      awaitApplied(offset + 1); // read your writes: the view holds this record (and all before it)
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot write " + key + " to " + TOPIC + ": " + e.getCause().getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted writing " + key + " to " + TOPIC, e);
    }
  }

  @Override
  public void close() {
    closed = true;
    consumer.wakeup();
    try {
      follower.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close();
  }
}
