package dev.berth.testing;

import dev.berth.model.fleet.EventTopic;
import dev.berth.model.fleet.FleetEvent;
import dev.berth.model.fleet.KafkaAccess;
import dev.berth.model.fleet.KafkaClientConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Every fleet event so far, from berth.events and every node's berth.events.NODE, for tests that
 * look for what the fleet reported. Blocking.
 */
public final class FleetEventsReader {
  private FleetEventsReader() {}

  public static List<FleetEvent> readAll(KafkaAccess kafka) {
    List<FleetEvent> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(KafkaClientConfig.assignedConsumer(kafka))) {
      List<TopicPartition> parts =
          c.listTopics(Duration.ofSeconds(10)).keySet().stream()
              .filter(EventTopic::isEventTopic)
              .map(t -> new TopicPartition(t, 0))
              .toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (parts.stream().anyMatch(p -> c.position(p) < end.get(p))
          && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
          out.add(EventTopic.decodeFrom(r.topic(), r.value()));
        }
      }
    }
    return out;
  }
}
