package dev.berth.controlplane.specs;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.model.fleet.WorkloadSpec;
import dev.berth.model.fleet.WorkloadSpecs;
import dev.berth.model.runtime.OciJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Desired workloads on the compacted topic berth.workloads (key: name, value: spec and generation,
 * tombstone: deleted). Writes are synchronous, idempotent and acks=all, so an answered apply is durable;
 * the in-memory view is rebuilt from offset 0 when the store opens. Blocking: call it from a worker.
 */
public final class WorkloadStore implements AutoCloseable {
  public static final String TOPIC = "berth.workloads";
  private static final ObjectMapper JSON = OciJson.mapper();

  private final KafkaProducer<String, byte[]> producer;
  private final Map<String, StoredWorkload> view = new ConcurrentHashMap<>();

  private WorkloadStore(KafkaProducer<String, byte[]> producer) {
    this.producer = producer;
  }

  /** Makes sure the topic exists, reads it from the beginning, and is ready for applies. */
  public static WorkloadStore open(String bootstrapServers) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
      admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1)
          .configs(Map.of("cleanup.policy", "compact", "min.insync.replicas", "1")))).all().get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create topic " + TOPIC + ": " + e.getCause().getMessage(), e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating " + TOPIC, e);
    }
    KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrapServers,
        "acks", "all", "enable.idempotence", true, "key.serializer", StringSerializer.class,
        "value.serializer", ByteArraySerializer.class));
    WorkloadStore store = new WorkloadStore(producer);
    store.replay(bootstrapServers);
    return store;
  }

  private void replay(String bootstrapServers) {
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrapServers,
        "key.deserializer", StringDeserializer.class, "value.deserializer", ByteArrayDeserializer.class,
        "enable.auto.commit", false))) {
      TopicPartition p = new TopicPartition(TOPIC, 0);
      consumer.assign(List.of(p));
      consumer.seekToBeginning(List.of(p));
      long end = consumer.endOffsets(List.of(p)).get(p);
      while (consumer.position(p) < end) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.value() == null) {
            view.remove(r.key());
          } else {
            view.put(r.key(), decode(r.value()));
          }
        }
      }
    }
  }

  /** Stores a spec: created, or updated with the next generation, or left alone when it is the same spec. */
  public synchronized ApplyResult apply(WorkloadSpec spec) {
    StoredWorkload current = view.get(spec.name());
    if (current != null && Arrays.equals(WorkloadSpecs.canonicalJson(current.spec()), WorkloadSpecs.canonicalJson(spec))) {
      return new ApplyResult(ApplyResult.Outcome.UNCHANGED, current);
    }
    StoredWorkload next = new StoredWorkload(spec, current == null ? 1 : current.generation() + 1);
    send(spec.name(), encode(next));
    view.put(spec.name(), next);
    return new ApplyResult(current == null ? ApplyResult.Outcome.CREATED : ApplyResult.Outcome.UPDATED, next);
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
    view.remove(name);
    return true;
  }

  private void send(String key, byte[] value) {
    try {
      producer.send(new ProducerRecord<>(TOPIC, key, value)).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot write " + key + " to " + TOPIC + ": " + e.getCause().getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted writing " + key + " to " + TOPIC, e);
    }
  }

  private static byte[] encode(StoredWorkload w) {
    try {
      return JSON.writeValueAsBytes(w);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static StoredWorkload decode(byte[] bytes) {
    try {
      return JSON.readValue(bytes, StoredWorkload.class);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable record on " + TOPIC, e);
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
