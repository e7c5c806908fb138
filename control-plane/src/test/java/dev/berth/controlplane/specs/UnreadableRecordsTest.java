package dev.berth.controlplane.specs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.controlplane.scheduler.AssignmentLog;
import dev.berth.embedded.EmbeddedKafkaBroker;
import dev.berth.model.fleet.AssignmentTopic;
import dev.berth.model.fleet.EventTopic;
import dev.berth.model.fleet.FleetEvent;
import dev.berth.model.fleet.KafkaClientConfig;
import dev.berth.model.fleet.WorkloadSpecs;
import dev.berth.model.fleet.WorkloadTopic;
import dev.berth.testing.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One record nobody can read, on the workloads or the assignments topic, used to stop the store's
 * follower for good (every apply 503, every `berth up` failing until --purge): it is skipped,
 * counted, and everything else goes on.
 */
class UnreadableRecordsTest {
  private static List<FleetEvent> unreadableEvents(String bootstrap) throws Exception {
    List<FleetEvent> out = new ArrayList<>();
    Await.until(
        () -> {
          out.clear();
          try (KafkaConsumer<String, byte[]> c =
              new KafkaConsumer<>(KafkaClientConfig.assignedConsumer(bootstrap))) {
            TopicPartition p = new TopicPartition(EventTopic.TOPIC, 0);
            c.assign(List.of(p));
            c.seekToBeginning(List.of(p));
            long end = c.endOffsets(List.of(p)).get(p);
            while (c.position(p) < end) {
              c.poll(Duration.ofMillis(200)).forEach(r -> out.add(EventTopic.decode(r.value())));
            }
          }
          return out.stream().filter(e -> e.kind().equals("unreadable-record")).count() >= 2;
        },
        "the skipped records on berth.events",
        20_000);
    return out.stream().filter(e -> e.kind().equals("unreadable-record")).toList();
  }

  @Test
  void anUnreadableRecordIsSkippedAndCountedAndTheStoreGoesOn(@TempDir Path data) throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(data, 0)) {
      try (WorkloadStore store = WorkloadStore.open(broker.bootstrapServers());
          AssignmentLog log = AssignmentLog.open(broker.bootstrapServers());
          KafkaProducer<String, byte[]> producer =
              new KafkaProducer<>(
                  KafkaClientConfig.durableProducer(broker.bootstrapServers(), 0))) {
        store.apply(
            WorkloadSpecs.read(
                "{\"name\":\"before\",\"image\":\"busybox\"}".getBytes(StandardCharsets.UTF_8),
                false));
        byte[] garbage = "{\"spec\": not json".getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(WorkloadTopic.TOPIC, "broken", garbage)).get();
        producer
            .send(new ProducerRecord<>(AssignmentTopic.TOPIC, 0, "node-a/broken-g1-r0", garbage))
            .get();
      }
      // A control plane starting now reads past both records.
      try (WorkloadStore store = WorkloadStore.open(broker.bootstrapServers());
          AssignmentLog log = AssignmentLog.open(broker.bootstrapServers())) {
        assertEquals(1, store.unreadableRecords());
        assertEquals(1, log.unreadableRecords());
        store.apply(
            WorkloadSpecs.read(
                "{\"name\":\"after\",\"image\":\"busybox\"}".getBytes(StandardCharsets.UTF_8),
                false));
        assertEquals(
            List.of("after", "before"), store.list().stream().map(w -> w.spec().name()).toList());
      }
      // and the fleet's events say so, for operators who watch berth.events and not the logs
      List<FleetEvent> reported = unreadableEvents(broker.bootstrapServers());
      assertTrue(
          reported.stream()
              .anyMatch(
                  e ->
                      e.message().startsWith(WorkloadTopic.TOPIC)
                          && e.message().contains("broken")),
          reported.toString());
      assertTrue(
          reported.stream().anyMatch(e -> e.message().startsWith(AssignmentTopic.TOPIC)),
          reported.toString());
    }
  }
}
