package dev.berth.controlplane.scheduler;

import dev.berth.controlplane.kafka.KafkaTopics;
import dev.berth.controlplane.kafka.NodeKafkaGrants;
import dev.berth.controlplane.kafka.TransactionalWriter;
import dev.berth.model.fleet.Assignment;
import dev.berth.model.fleet.AssignmentTopic;
import dev.berth.model.fleet.EventTopic;
import dev.berth.model.fleet.FleetEvent;
import dev.berth.model.fleet.KafkaAccess;
import dev.berth.model.fleet.KafkaClientConfig;
import dev.berth.model.fleet.UnreadableRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The scheduler's side of the nodes' assignments topics (berth.assignments.NODE): what is placed
 * where (rebuilt from every node's topic when opened), and writes of new placements and tombstones,
 * each pass's as one Kafka transaction under the fleet's one scheduler transactional id: a leader
 * that {@link #claim}s it fences every earlier one on the broker's side, so two control planes that
 * both believe they lead (a split Hazelcast cluster) can never both write. Blocking: call from a
 * worker.
 */
public final class AssignmentLog implements AutoCloseable {
  /** The transactional id every control plane's scheduler writes under: one writer at a time. */
  public static final String TRANSACTIONAL_ID = "berth-scheduler";

  private final KafkaProducer<String, byte[]> producer; // events: not part of a pass's transaction
  private final TransactionalWriter writer;
  private final Admin admin;
  private final Map<String, Assignment> current = new HashMap<>();
  private final Set<String> topics = new HashSet<>(); // the nodes' topics known to exist
  private final UnreadableRecords unreadable =
      new UnreadableRecords(AssignmentTopic.PREFIX + "*", "control-plane", this::report);
  private final KafkaAccess kafka;
  // A write failed without fencing: it may still have committed (a commit that timed out), so the
  // view is read again before it is used. Otherwise an assignment written but believed unwritten
  // would never be tombstoned: a container left running after its workload is gone.
  private boolean uncertain;

  private AssignmentLog(KafkaProducer<String, byte[]> producer, Admin admin, KafkaAccess kafka) {
    this.producer = producer;
    this.writer = new TransactionalWriter(kafka, TRANSACTIONAL_ID);
    this.admin = admin;
    this.kafka = kafka;
  }

  /** Puts a skipped record's event on berth.events, without waiting. */
  private void report(FleetEvent e) {
    producer.send(new ProducerRecord<>(EventTopic.TOPIC, EventTopic.key(e), EventTopic.encode(e)));
  }

  public static AssignmentLog open(KafkaAccess kafka) {
    AssignmentLog log =
        new AssignmentLog(
            new KafkaProducer<>(KafkaClientConfig.durableProducer(kafka, 5)),
            Admin.create(KafkaClientConfig.admin(kafka)),
            kafka);
    try {
      KafkaTopics.ensure(log.admin, List.of(KafkaTopics.fleetEvents())); // where it reports
      log.reload();
    } catch (RuntimeException e) {
      log.close();
      throw e;
    }
    return log;
  }

  /**
   * Takes the scheduler's transactional id (fencing the leader before, aborting what it left open)
   * and reads every node's topic again: what a control plane does first when it becomes leader.
   */
  public synchronized void claim() {
    writer.claim();
    reload();
  }

  /**
   * Reads the topic again from the beginning: a control plane that becomes leader does this first,
   * because the one before it wrote placements this one has not seen.
   */
  public synchronized void reload() {
    uncertain = true; // until read to the end
    current.clear();
    topics.clear();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(KafkaClientConfig.assignedConsumer(kafka))) {
      List<TopicPartition> parts = new ArrayList<>();
      for (String t : consumer.listTopics(Duration.ofSeconds(30)).keySet()) {
        if (t.startsWith(AssignmentTopic.PREFIX)) {
          topics.add(t);
          parts.add(new TopicPartition(t, 0));
        }
      }
      // a new leader writes to every node's topic soon: learn them all now, not one per send
      writer.warm(List.copyOf(topics));
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.value() == null) {
            current.remove(r.key());
          } else {
            try {
              Assignment a = AssignmentTopic.decodeChecked(r.key(), r.value());
              if (!a.node().equals(AssignmentTopic.nodeOfTopic(r.topic()))) {
                throw new IllegalArgumentException("the record names node " + a.node());
              }
              current.put(r.key(), a);
            } catch (RuntimeException e) {
              // The next pass writes this container's placement again, over the bad record.
              unreadable.skipped(r.topic(), r.partition(), r.offset(), r.key(), e);
            }
          }
        }
      }
    }
    uncertain = false;
  }

  private void reloadIfUncertain() {
    if (uncertain) {
      reload();
    }
  }

  /** How many records of the nodes' topics could not be read and were skipped. */
  public long unreadableRecords() {
    return unreadable.count();
  }

  /** The assignments as the log holds them, by container id. */
  public synchronized Map<String, Assignment> assignments() {
    reloadIfUncertain();
    Map<String, Assignment> out = new HashMap<>();
    current.values().forEach(a -> out.put(a.containerId(), a));
    return out;
  }

  /** The placements as the log holds them, by container id. */
  public synchronized Map<String, Placement> placements() {
    reloadIfUncertain();
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
    reloadIfUncertain();
    Map<String, Assignment> byKey = new HashMap<>();
    desired.values().forEach(a -> byKey.put(AssignmentTopic.key(a.node(), a.containerId()), a));
    ensureTopics(desired.values());
    Map<String, Assignment> before = new HashMap<>();
    current.values().forEach(a -> before.put(a.containerId(), a));
    List<ProducerRecord<String, byte[]>> sends = new ArrayList<>();
    List<FleetEvent> decisions = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (Map.Entry<String, Assignment> e : byKey.entrySet()) {
      Assignment a = e.getValue();
      if (!a.equals(current.get(e.getKey()))) {
        sends.add(send(e.getKey(), a.node(), AssignmentTopic.encode(a)));
        Assignment was = before.get(a.containerId());
        if (was == null) {
          decisions.add(decision(now, a, "scheduled", "placed on " + a.node()));
        } else if (!was.node().equals(a.node())) {
          decisions.add(
              decision(now, a, "rescheduled", "moved from " + was.node() + " to " + a.node()));
        }
      }
    }
    for (String key : List.copyOf(current.keySet())) {
      if (!byKey.containsKey(key)) {
        sends.add(send(key, AssignmentTopic.nodeOf(key), null));
        Assignment gone = current.get(key);
        if (!desired.containsKey(gone.containerId())) {
          decisions.add(decision(now, gone, "unscheduled", "taken off " + gone.node()));
        }
      }
    }
    try {
      writer.write(sends, () -> {});
    } catch (TransactionalWriter.FencedException e) {
      throw e;
    } catch (RuntimeException e) {
      uncertain = true;
      throw new IllegalStateException("cannot write assignments: " + e.getMessage(), e);
    }
    current.clear();
    current.putAll(byKey);
    decisions.forEach(this::report);
    return sends.size();
  }

  private static FleetEvent decision(long now, Assignment a, String state, String message) {
    return new FleetEvent(
        now,
        "scheduler",
        a.node(),
        a.containerId(),
        a.workload(),
        a.generation(),
        state,
        null,
        0,
        message);
  }

  /** Puts one of the scheduler's own observations (a node lost or back) on berth.events. */
  public void publish(FleetEvent e) {
    report(e);
  }

  /**
   * Creates the topics of nodes placed on for the first time. A node's join creates its topic; this
   * covers a node the scheduler knows of without it (Hazelcast's word alone), whose topic then
   * exists but nobody may read, instead of a producer blocking on a topic that is not there.
   */
  private void ensureTopics(java.util.Collection<Assignment> placed) {
    List<String> missing =
        placed.stream()
            .map(Assignment::node)
            .distinct()
            .filter(n -> !topics.contains(AssignmentTopic.topicOf(n)))
            .toList();
    if (!missing.isEmpty()) {
      KafkaTopics.ensure(admin, missing.stream().map(NodeKafkaGrants::assignmentsTopic).toList());
      missing.forEach(n -> topics.add(AssignmentTopic.topicOf(n)));
    }
  }

  private static ProducerRecord<String, byte[]> send(String key, String node, byte[] value) {
    return new ProducerRecord<>(AssignmentTopic.topicOf(node), 0, key, value);
  }

  @Override
  public void close() {
    writer.close();
    producer.close();
    admin.close();
  }
}
