package dev.berth.controlplane.kafka;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates Berth's topics with their settings (compaction, partitions) unless they exist already.
 */
public final class KafkaTopics {
  private KafkaTopics() {}

  public static void ensure(String bootstrapServers, NewTopic topic) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
      admin.createTopics(List.of(topic)).all().get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException(
            "cannot create topic "
                + topic.name()
                + " on "
                + bootstrapServers
                + ": "
                + e.getCause().getMessage(),
            e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating topic " + topic.name(), e);
    }
  }
}
