package dev.berth.agent.node;

import dev.berth.model.fleet.AssignmentTopic;
import dev.berth.model.fleet.FleetEvent;
import dev.berth.model.fleet.KafkaClientConfig;
import dev.berth.model.fleet.UnreadableRecords;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads this node's topic berth.assignments.NODE from offset 0 and sends the desired set's changes
 * to the reconcile verticle as {@link DesiredChange}s: first everything that is on the log at
 * start, read to its end on a worker with a plain consumer, then the mark that the desired set is
 * complete; then what follows, with vertx-kafka-client from where that read ended. Decoding a small
 * record is the only work on the loop.
 */
public final class AssignmentConsumerVerticle extends AbstractVerticle {
  private UnreadableRecords unreadable;
  private final AgentConfig config;
  private KafkaConsumer<String, byte[]> consumer;

  public AssignmentConsumerVerticle(AgentConfig config) {
    this.config = config;
  }

  @Override
  public void start(Promise<Void> started) {
    LocalCodec.register(vertx.eventBus(), DesiredChange.class);
    LocalCodec.register(vertx.eventBus(), FleetEvent.class);
    // what this node skips goes on the fleet's events, through the events verticle's producer
    unreadable =
        new UnreadableRecords(
            AssignmentTopic.topicOf(config.nodeName()),
            config.nodeName(),
            e -> vertx.eventBus().send(AgentAddresses.events(config.nodeName()), e));
    // no consumer group: the node may read its topic and nothing else, and commits nothing
    consumer = KafkaConsumer.create(vertx, KafkaClientConfig.assignedConsumer(config.kafka()));
    consumer.handler(r -> handle(r.key(), r.value(), r.partition(), r.offset()));
    TopicPartition mine = new TopicPartition(AssignmentTopic.topicOf(config.nodeName()), 0);
    vertx
        .executeBlocking(this::readToEnd, false)
        .compose(end -> consumer.assign(Set.of(mine)).compose(v -> consumer.seek(mine, end)))
        .<Void>mapEmpty()
        .onComplete(started);
  }

  /**
   * Until every record that was on the log at start has been sent, the desired set is incomplete:
   * acting on it would remove containers that are still wanted, so the reconciler waits for the
   * mark sent after them. The end is the consumer's position, not the last record's offset: the
   * scheduler writes in transactions, and the log ends with a commit marker no record carries.
   * Returns where the read ended.
   */
  private long readToEnd() {
    org.apache.kafka.common.TopicPartition mine =
        new org.apache.kafka.common.TopicPartition(AssignmentTopic.topicOf(config.nodeName()), 0);
    try (org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]> reader =
        new org.apache.kafka.clients.consumer.KafkaConsumer<>(
            KafkaClientConfig.assignedConsumer(config.kafka()))) {
      reader.assign(List.of(mine));
      reader.seekToBeginning(List.of(mine));
      long end = reader.endOffsets(List.of(mine)).get(mine);
      while (reader.position(mine) < end) {
        for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(200))) {
          if (r.offset() < end) {
            handle(r.key(), r.value(), r.partition(), r.offset());
          }
        }
      }
      vertx.eventBus().send(AgentAddresses.desired(config.nodeName()), DesiredChange.CAUGHT_UP);
      return end;
    }
  }

  private void handle(String key, byte[] value, int partition, long offset) {
    if (!AssignmentTopic.nodeOf(key).equals(config.nodeName())) {
      return;
    }
    String id = AssignmentTopic.containerOf(key);
    DesiredChange change;
    try {
      if (value == null) {
        AssignmentTopic.requireContainerId(id);
        change = DesiredChange.removed(id);
      } else {
        change = DesiredChange.assigned(AssignmentTopic.decodeChecked(key, value));
      }
    } catch (RuntimeException e) {
      // An unreadable or forged record changes nothing; the level-triggered pass keeps what it had.
      unreadable.skipped(partition, offset, key, e);
      return;
    }
    vertx.eventBus().send(AgentAddresses.desired(config.nodeName()), change);
  }

  @Override
  public void stop(Promise<Void> stopped) {
    consumer.close().onComplete(stopped);
  }
}
