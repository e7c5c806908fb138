package dev.berth.agent.node;

import dev.berth.model.fleet.AssignmentTopic;
import dev.berth.model.fleet.FleetEvent;
import dev.berth.model.fleet.KafkaClientConfig;
import dev.berth.model.fleet.UnreadableRecords;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import java.util.Set;

/**
 * Reads this node's topic berth.assignments.NODE from offset 0 (vertx-kafka-client) and sends the
 * desired set's changes to the reconcile verticle as {@link DesiredChange}s. Decoding a small
 * record is the only work on the loop.
 */
public final class AssignmentConsumerVerticle extends AbstractVerticle {
  private UnreadableRecords unreadable;
  private final AgentConfig config;
  private KafkaConsumer<String, byte[]> consumer;
  // One past the offset of the last record handed to the handler (on the loop).
  private long handledEnd;

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
    consumer.handler(
        record -> {
          handledEnd = record.offset() + 1;
          if (!AssignmentTopic.nodeOf(record.key()).equals(config.nodeName())) {
            return;
          }
          String id = AssignmentTopic.containerOf(record.key());
          DesiredChange change;
          try {
            if (record.value() == null) {
              AssignmentTopic.requireContainerId(id);
              change = DesiredChange.removed(id);
            } else {
              change =
                  DesiredChange.assigned(
                      AssignmentTopic.decodeChecked(record.key(), record.value()));
            }
          } catch (RuntimeException e) {
            // An unreadable or forged record changes nothing; the level-triggered pass keeps what
            // it had.
            unreadable.skipped(record.partition(), record.offset(), record.key(), e);
            return;
          }
          vertx.eventBus().send(AgentAddresses.desired(config.nodeName()), change);
        });
    TopicPartition mine = new TopicPartition(AssignmentTopic.topicOf(config.nodeName()), 0);
    consumer
        .assign(Set.of(mine))
        .compose(v -> consumer.seekToBeginning(mine))
        .compose(v -> consumer.endOffsets(mine))
        .onSuccess(this::watchCatchUp)
        .<Void>mapEmpty()
        .onComplete(started);
  }

  /**
   * Until the handler has seen every record that was on the log at start, the desired set is
   * incomplete: acting on it would remove containers that are still wanted. The reconciler waits
   * for this mark. The handler's own count decides, not the consumer's position: the position moves
   * when a batch is fetched, before its records reach the handler, and a mark sent then overtook
   * them (a restarted agent removed and recreated the containers it should have adopted). The log's
   * last record is never compacted away, so the handler always reaches the end offset.
   */
  private void watchCatchUp(long end) {
    vertx.setPeriodic(
        20,
        timer -> {
          if (handledEnd >= end) {
            vertx.cancelTimer(timer);
            vertx
                .eventBus()
                .send(AgentAddresses.desired(config.nodeName()), DesiredChange.CAUGHT_UP);
          }
        });
  }

  @Override
  public void stop(Promise<Void> stopped) {
    consumer.close().onComplete(stopped);
  }
}
