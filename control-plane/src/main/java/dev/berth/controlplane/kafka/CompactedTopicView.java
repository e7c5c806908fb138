package dev.berth.controlplane.kafka;

import dev.berth.model.fleet.EventTopic;
import dev.berth.model.fleet.FleetEvent;
import dev.berth.model.fleet.KafkaAccess;
import dev.berth.model.fleet.KafkaClientConfig;
import dev.berth.model.fleet.UnreadableRecords;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * A compacted one-partition topic as a map (key: record key, value: the last record decoded,
 * tombstone: gone), read from offset 0 when it opens and followed while it is open, so every
 * control plane sees every write. Writes are synchronous, idempotent and acks=all and return once
 * the view holds them (read your writes). Blocking: call it from a worker.
 */
public final class CompactedTopicView<V> implements AutoCloseable {
  private final String topic;
  private final Function<byte[], V> decoder;
  private final KafkaAccess kafka;
  private final KafkaProducer<String, byte[]> producer;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Map<String, V> view = new ConcurrentHashMap<>();
  private final List<BiConsumer<String, V>> listeners = new CopyOnWriteArrayList<>();
  private final UnreadableRecords unreadable;
  private final Thread follower;
  private final Object progress = new Object();
  private long nextOffset; // guarded by progress: the offset after the last record in the view
  private volatile boolean closed;
  private volatile RuntimeException failure;

  private CompactedTopicView(
      String topic,
      Function<byte[], V> decoder,
      KafkaAccess kafka,
      KafkaProducer<String, byte[]> producer,
      KafkaConsumer<String, byte[]> consumer) {
    this.topic = topic;
    this.kafka = kafka;
    this.decoder = decoder;
    this.producer = producer;
    this.consumer = consumer;
    this.unreadable = new UnreadableRecords(topic, "control-plane", this::report);
    this.follower = new Thread(this::follow, "berth-follower-" + topic);
    this.follower.setDaemon(true);
  }

  /**
   * Creates {@code topic} (compacted, one partition) unless it exists, reads it to its end and
   * keeps following it; {@code decoder} throws on a value it cannot read (the record is skipped).
   */
  public static <V> CompactedTopicView<V> open(
      KafkaAccess kafka, String topic, Function<byte[], V> decoder) {
    try (Admin admin = Admin.create(KafkaClientConfig.admin(kafka))) {
      // berth.events too, where unreadable records are reported: a producer waits for a topic
      KafkaTopics.ensure(
          admin,
          List.of(
              new NewTopic(topic, 1, (short) 1)
                  .configs(Map.of("cleanup.policy", "compact", "min.insync.replicas", "1")),
              KafkaTopics.fleetEvents()));
    }
    KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(KafkaClientConfig.durableProducer(kafka, 0));
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            // read_committed (as every Berth consumer): a GitOps sync is seen whole or not at all
            KafkaClientConfig.with(
                KafkaClientConfig.assignedConsumer(kafka), "fetch.max.wait.ms", 100));
    TopicPartition p = new TopicPartition(topic, 0);
    consumer.assign(List.of(p));
    consumer.seekToBeginning(List.of(p));
    long end = consumer.endOffsets(List.of(p)).get(p);
    CompactedTopicView<V> v = new CompactedTopicView<>(topic, decoder, kafka, producer, consumer);
    v.follower.start();
    v.awaitApplied(end);
    return v;
  }

  /** The view changes only here, in log order; writers wait until their record came back. */
  private void follow() {
    try {
      while (!closed) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          if (r.key() == null) {
            unreadable.skipped(
                r.partition(), r.offset(), null, new IllegalArgumentException("no key"));
          } else if (r.value() == null) {
            view.remove(r.key());
            changed(r.key(), null);
          } else {
            V value;
            try {
              value = decoder.apply(r.value());
            } catch (RuntimeException e) {
              unreadable.skipped(r.partition(), r.offset(), r.key(), e);
              continue;
            }
            view.put(r.key(), value);
            changed(r.key(), value);
          }
        }
        long position = consumer.position(new TopicPartition(topic, 0));
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

  private void changed(String key, V value) {
    for (BiConsumer<String, V> l : listeners) {
      try {
        l.accept(key, value);
      } catch (RuntimeException e) {
        // a listener's failure is its own; the view goes on
      }
    }
  }

  /**
   * Calls {@code listener} on the follower thread with every key the view changes after this call
   * (value null: deleted); it must return quickly and not block.
   */
  public void addListener(BiConsumer<String, V> listener) {
    listeners.add(listener);
  }

  /** Waits until the view holds every record up to and including {@code offset}. */
  public void awaitOffset(long offset) {
    awaitApplied(offset + 1);
  }

  /** Waits until the view holds every record written to the topic before this call. */
  public void catchUp() {
    try (KafkaConsumer<String, byte[]> probe =
        new KafkaConsumer<>(KafkaClientConfig.assignedConsumer(kafka))) {
      TopicPartition p = new TopicPartition(topic, 0);
      awaitApplied(probe.endOffsets(List.of(p)).get(p));
    }
  }

  /** The topic the view follows. */
  public String topic() {
    return topic;
  }

  private void awaitApplied(long offset) {
    long deadline = System.currentTimeMillis() + 60_000;
    synchronized (progress) {
      while (nextOffset < offset) {
        if (failure != null) {
          throw new IllegalStateException(
              "cannot follow " + topic + ": " + failure.getMessage(), failure);
        }
        long left = deadline - System.currentTimeMillis();
        if (closed || left <= 0) {
          throw new IllegalStateException("timed out reading " + topic + " up to offset " + offset);
        }
        try {
          progress.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted reading " + topic, e);
        }
      }
    }
  }

  public Optional<V> get(String key) {
    return Optional.ofNullable(view.get(key));
  }

  public Collection<V> values() {
    return view.values();
  }

  public int size() {
    return view.size();
  }

  /** Writes {@code value} under {@code key} ({@code null}: a tombstone) and waits for the view. */
  public void write(String key, byte[] value) {
    try {
      long offset = producer.send(new ProducerRecord<>(topic, key, value)).get().offset();
      awaitApplied(offset + 1);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot write " + key + " to " + topic + ": " + e.getCause().getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted writing " + key + " to " + topic, e);
    }
  }

  /** Puts a skipped record's event on berth.events, without waiting (the follower goes on). */
  private void report(FleetEvent e) {
    producer.send(new ProducerRecord<>(EventTopic.TOPIC, EventTopic.key(e), EventTopic.encode(e)));
  }

  /** How many records of the topic could not be read and were skipped. */
  public long unreadableRecords() {
    return unreadable.count();
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
