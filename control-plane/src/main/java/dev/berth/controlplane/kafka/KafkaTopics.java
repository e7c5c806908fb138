package dev.berth.controlplane.kafka;

import dev.berth.model.fleet.EventTopic;
import dev.berth.model.fleet.KafkaAccess;
import dev.berth.model.fleet.KafkaClientConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates Berth's topics with their settings (compaction, partitions) unless they exist already.
 */
public final class KafkaTopics {
  private KafkaTopics() {}

  /** berth.events, the control planes' events (kept a day). */
  public static NewTopic fleetEvents() {
    return new NewTopic(EventTopic.TOPIC, 1, (short) 1)
        .configs(Map.of("retention.ms", Long.toString(EventTopic.RETENTION_MILLIS)));
  }

  public static void ensure(KafkaAccess kafka, NewTopic topic) {
    try (Admin admin = Admin.create(KafkaClientConfig.admin(kafka))) {
      ensure(admin, List.of(topic));
    }
  }

  /** Creates those of {@code topics} that do not exist yet, through {@code admin}, in one call. */
  public static void ensure(Admin admin, List<NewTopic> topics) {
    Map<String, KafkaFuture<Void>> created = admin.createTopics(topics).values();
    for (NewTopic topic : topics) {
      try {
        created.get(topic.name()).get();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException(
              "cannot create topic " + topic.name() + ": " + e.getCause().getMessage(), e);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted creating topic " + topic.name(), e);
      }
    }
  }
}
