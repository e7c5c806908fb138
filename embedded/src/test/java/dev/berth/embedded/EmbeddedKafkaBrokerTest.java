package dev.berth.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker really is a Kafka broker: records sent with acks=all are read back, also
 * after a restart.
 */
class EmbeddedKafkaBrokerTest {
  private static List<String> readAll(String bootstrap, String topic) {
    Map<String, Object> props =
        Map.of(
            "bootstrap.servers",
            bootstrap,
            "group.id",
            "test-" + UUID.randomUUID(),
            "auto.offset.reset",
            "earliest",
            "key.deserializer",
            StringDeserializer.class,
            "value.deserializer",
            StringDeserializer.class);
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.currentTimeMillis() + 30_000;
      while (values.isEmpty() && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          values.add(r.key() + "=" + r.value());
        }
      }
    }
    return values;
  }

  @Test
  void recordsAreDurableAcrossARestartOfTheBroker(@TempDir Path data) throws Exception {
    {
      int port;
      try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(data, 0)) {
        port = Integer.parseInt(broker.bootstrapServers().split(":")[1]);
        Map<String, Object> props =
            Map.of(
                "bootstrap.servers",
                broker.bootstrapServers(),
                "acks",
                "all",
                "enable.idempotence",
                true,
                "key.serializer",
                StringSerializer.class,
                "value.serializer",
                StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
          producer.send(new ProducerRecord<>("berth.test", "web", "replicas: 3")).get();
        }
        assertEquals(List.of("web=replicas: 3"), readAll(broker.bootstrapServers(), "berth.test"));
      }
      try (EmbeddedKafkaBroker again = EmbeddedKafkaBroker.start(data, port)) {
        assertEquals(List.of("web=replicas: 3"), readAll(again.bootstrapServers(), "berth.test"));
      }
    }
  }
}
