package dev.berth.controlplane.specs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.controlplane.scheduler.AssignmentLog;
import dev.berth.embedded.EmbeddedKafkaBroker;
import dev.berth.model.fleet.AssignmentTopic;
import dev.berth.model.fleet.KafkaClientConfig;
import dev.berth.model.fleet.WorkloadSpecs;
import dev.berth.model.fleet.WorkloadTopic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
    }
  }
}
