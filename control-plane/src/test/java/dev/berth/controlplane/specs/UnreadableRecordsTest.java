package dev.berth.controlplane.specs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.controlplane.TestCredentials;
import dev.berth.controlplane.auth.ApiAccess;
import dev.berth.controlplane.kafka.KafkaTopics;
import dev.berth.controlplane.kafka.NodeKafkaGrants;
import dev.berth.controlplane.scheduler.AssignmentLog;
import dev.berth.embedded.EmbeddedKafkaBroker;
import dev.berth.model.fleet.AssignmentTopic;
import dev.berth.model.fleet.FleetEvent;
import dev.berth.model.fleet.KafkaAccess;
import dev.berth.model.fleet.KafkaClientConfig;
import dev.berth.model.fleet.WorkloadSpecs;
import dev.berth.model.fleet.WorkloadTopic;
import dev.berth.testing.Await;
import dev.berth.testing.FleetEventsReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One record nobody can read, on the workloads or the assignments topic, used to stop the store's
 * follower for good (every apply 503, every `berth up` failing until --purge): it is skipped,
 * counted, and everything else goes on.
 */
class UnreadableRecordsTest {
  private static List<FleetEvent> unreadableEvents(KafkaAccess kafka) throws Exception {
    List<FleetEvent> out = new ArrayList<>();
    Await.until(
        () -> {
          out.clear();
          out.addAll(
              FleetEventsReader.readAll(kafka).stream()
                  .filter(e -> e.kind().equals("unreadable-record"))
                  .toList());
          return out.size() >= 2;
        },
        "the skipped records on berth.events",
        20_000);
    return out;
  }

  @Test
  void anUnreadableRecordIsSkippedAndCountedAndTheStoreGoesOn(@TempDir Path data) throws Exception {
    ApiAccess access = TestCredentials.in(data.resolve("pki"));
    try (EmbeddedKafkaBroker broker = TestCredentials.broker(data.resolve("kafka"), access)) {
      KafkaAccess kafka = TestCredentials.kafka(access, broker);
      KafkaTopics.ensure(kafka, NodeKafkaGrants.assignmentsTopic("node-a"));
      try (WorkloadStore store = WorkloadStore.open(kafka);
          AssignmentLog log = AssignmentLog.open(kafka);
          KafkaProducer<String, byte[]> producer =
              new KafkaProducer<>(KafkaClientConfig.durableProducer(kafka, 0))) {
        store.apply(
            WorkloadSpecs.read(
                "{\"name\":\"before\",\"image\":\"busybox\"}".getBytes(StandardCharsets.UTF_8),
                false));
        byte[] garbage = "{\"spec\": not json".getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(WorkloadTopic.TOPIC, "broken", garbage)).get();
        producer
            .send(
                new ProducerRecord<>(
                    AssignmentTopic.topicOf("node-a"), 0, "node-a/broken-g1-r0", garbage))
            .get();
      }
      // A control plane starting now reads past both records.
      try (WorkloadStore store = WorkloadStore.open(kafka);
          AssignmentLog log = AssignmentLog.open(kafka)) {
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
      List<FleetEvent> reported = unreadableEvents(kafka);
      assertTrue(
          reported.stream()
              .anyMatch(
                  e ->
                      e.message().startsWith(WorkloadTopic.TOPIC)
                          && e.message().contains("broken")),
          reported.toString());
      assertTrue(
          reported.stream()
              .anyMatch(e -> e.message().startsWith(AssignmentTopic.topicOf("node-a"))),
          reported.toString());
    }
  }
}
