package dev.berth.dashboard.stream;

import dev.berth.model.fleet.EventTopic;
import dev.berth.model.fleet.FleetEvent;
import dev.berth.model.fleet.KafkaAccess;
import dev.berth.model.fleet.KafkaClientConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * One Kafka consumer of every fleet events topic (berth.events and each node's berth.events.NODE,
 * new ones found within {@link #TOPIC_DISCOVERY_MILLIS}), starting each partition an hour back, so
 * the dashboard's timeline holds the last hour from the moment it starts. Each record is delivered
 * once even when a partition is sought back over what was already read; a forged one (an event on a
 * node's topic naming another node) is dropped.
 */
public final class FleetEventsFeed {
  private static final Logger LOG = Logger.getLogger(FleetEventsFeed.class.getName());
  static final long TOPIC_DISCOVERY_MILLIS = 5000;
  private static final Pattern TOPICS =
      Pattern.compile(Pattern.quote(EventTopic.TOPIC) + "(\\..+)?");

  private final KafkaConsumer<String, byte[]> consumer;
  private final Map<TopicPartition, Long> delivered = new HashMap<>();

  public FleetEventsFeed(Vertx vertx, KafkaAccess kafka, String group) {
    Properties p = KafkaClientConfig.assignedConsumer(kafka);
    p.setProperty("group.id", group);
    // From the start, skipping what is over an hour old: a partition's first records are never
    // missed while its seek to an hour back is on its way.
    p.setProperty("auto.offset.reset", "earliest");
    p.setProperty("metadata.max.age.ms", String.valueOf(TOPIC_DISCOVERY_MILLIS));
    p.setProperty("max.poll.records", "500");
    this.consumer = KafkaConsumer.create(vertx, p);
  }

  /** Subscribes; {@code sink} gets each event on the caller's context. */
  public Future<Void> start(Consumer<FleetEvent> sink) {
    consumer.partitionsAssignedHandler(
        parts -> {
          long since = System.currentTimeMillis() - EventHistory.WINDOW_MILLIS;
          parts.forEach(
              tp ->
                  consumer
                      .offsetsForTimes(tp, since)
                      .onSuccess(
                          at -> {
                            if (at != null) {
                              consumer.seek(tp, at.getOffset());
                            }
                          }));
        });
    consumer.handler(r -> deliver(r, sink));
    consumer.exceptionHandler(e -> LOG.warning("dashboard events consumer: " + e.getMessage()));
    return consumer.subscribe(TOPICS);
  }

  private void deliver(KafkaConsumerRecord<String, byte[]> r, Consumer<FleetEvent> sink) {
    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
    Long last = delivered.get(tp);
    if (last != null && r.offset() <= last) {
      return;
    }
    delivered.put(tp, r.offset());
    if (r.value() == null
        || r.timestamp() < System.currentTimeMillis() - EventHistory.WINDOW_MILLIS) {
      return;
    }
    try {
      sink.accept(EventTopic.decodeFrom(r.topic(), r.value()));
    } catch (RuntimeException e) {
      LOG.warning("skipped an event on " + r.topic() + "@" + r.offset() + ": " + e.getMessage());
    }
  }

  public Future<Void> stop() {
    return consumer.close();
  }
}
