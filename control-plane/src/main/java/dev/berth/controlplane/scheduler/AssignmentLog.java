package dev.berth.controlplane.scheduler;

import dev.berth.controlplane.kafka.KafkaTopics;
import dev.berth.model.fleet.Assignment;
import dev.berth.model.fleet.AssignmentTopic;
import dev.berth.model.fleet.EventTopic;
import dev.berth.model.fleet.FleetEvent;
import dev.berth.model.fleet.KafkaClientConfig;
import dev.berth.model.fleet.UnreadableRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The scheduler's side of berth.assignments: what is placed where (rebuilt from the topic when
 * opened), and writes of new placements and tombstones, idempotent and acks=all. Blocking: call
 * from a worker.
 */
public final class AssignmentLog implements AutoCloseable {
  private final KafkaProducer<String, byte[]> producer;
  private final Map<String, Assignment> current = new HashMap<>();
  private final UnreadableRecords unreadable =
      new UnreadableRecords(AssignmentTopic.TOPIC, "control-plane", this::report);
  private final String bootstrapServers;

  private AssignmentLog(KafkaProducer<String, byte[]> producer, String bootstrapServers) {
    this.producer = producer;
    this.bootstrapServers = bootstrapServers;
  }

  /** Puts a skipped record's event on berth.events, without waiting. */
  private void report(FleetEvent e) {
    producer.send(new ProducerRecord<>(EventTopic.TOPIC, EventTopic.key(e), EventTopic.encode(e)));
  }

  public static AssignmentLog open(String bootstrapServers) {
    KafkaTopics.ensure(
        bootstrapServers,
        new NewTopic(AssignmentTopic.TOPIC, AssignmentTopic.PARTITIONS, (short) 1)
            .configs(Map.of("cleanup.policy", "compact")));
    AssignmentLog log =
        new AssignmentLog(
            new KafkaProducer<>(KafkaClientConfig.durableProducer(bootstrapServers, 5)),
            bootstrapServers);
    log.reload();
    return log;
  }

  /**
   * Reads the topic again from the beginning: a control plane that becomes leader does this first,
   * because the one before it wrote placements this one has not seen.
   */
  public synchronized void reload() {
    current.clear();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(KafkaClientConfig.assignedConsumer(bootstrapServers))) {
      List<TopicPartition> parts = new ArrayList<>();
      for (int p = 0; p < AssignmentTopic.PARTITIONS; p++) {
        parts.add(new TopicPartition(AssignmentTopic.TOPIC, p));
      }
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.value() == null) {
            current.remove(r.key());
          } else {
            try {
              current.put(r.key(), AssignmentTopic.decode(r.value()));
            } catch (RuntimeException e) {
              // The next pass writes this container's placement again, over the bad record.
              unreadable.skipped(r.partition(), r.offset(), r.key(), e);
            }
          }
        }
      }
    }
  }

  /** How many records of the topic could not be read and were skipped. */
  public long unreadableRecords() {
    return unreadable.count();
  }

  /** The placements as the log holds them, by container id. */
  public synchronized Map<String, Placement> placements() {
    Map<String, Placement> out = new HashMap<>();
    for (Assignment a : current.values()) {
      out.put(
          a.containerId(),
          new Placement(a.containerId(), a.workload(), a.generation(), a.replica(), a.node()));
    }
    return out;
  }

  /**
   * Makes the log say exactly {@code desired}: new or moved assignments written, the others
   * tombstoned.
   */
  public synchronized int apply(Map<String, Assignment> desired) {
    Map<String, Assignment> byKey = new HashMap<>();
    desired.values().forEach(a -> byKey.put(AssignmentTopic.key(a.node(), a.containerId()), a));
    List<Future<RecordMetadata>> sends = new ArrayList<>();
    for (Map.Entry<String, Assignment> e : byKey.entrySet()) {
      if (!e.getValue().equals(current.get(e.getKey()))) {
        sends.add(send(e.getKey(), e.getValue().node(), AssignmentTopic.encode(e.getValue())));
      }
    }
    for (String key : List.copyOf(current.keySet())) {
      if (!byKey.containsKey(key)) {
        sends.add(send(key, AssignmentTopic.nodeOf(key), null));
      }
    }
    for (Future<RecordMetadata> f : sends) {
      try {
        f.get();
      } catch (ExecutionException e) {
        throw new IllegalStateException(
            "cannot write to " + AssignmentTopic.TOPIC + ": " + e.getCause().getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    current.clear();
    current.putAll(byKey);
    return sends.size();
  }

  private Future<RecordMetadata> send(String key, String node, byte[] value) {
    return producer.send(
        new ProducerRecord<>(AssignmentTopic.TOPIC, AssignmentTopic.partitionOf(node), key, value));
  }

  @Override
  public void close() {
    producer.close();
  }
}
