package dev.berth.testing;

import dev.berth.model.fleet.Assignment;
import dev.berth.model.fleet.AssignmentTopic;
import dev.berth.model.fleet.KafkaAccess;
import dev.berth.model.fleet.KafkaClientConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * What the scheduler assigned to one node, read from its topic berth.assignments.NODE from offset 0
 * (as an agent rebuilds its desired set on a cold start), for tests of what the control plane
 * writes. Blocking.
 */
public final class AssignmentTopicReader implements AutoCloseable {
  private final String node;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Map<String, Assignment> desired = new HashMap<>();

  public AssignmentTopicReader(KafkaAccess kafka, String node) {
    this.node = node;
    this.consumer = new KafkaConsumer<>(KafkaClientConfig.assignedConsumer(kafka));
    TopicPartition mine = new TopicPartition(AssignmentTopic.topicOf(node), 0);
    consumer.assign(List.of(mine));
    consumer.seekToBeginning(List.of(mine));
  }

  /** Reads what arrived within {@code wait}; true when the desired set changed. */
  public boolean poll(Duration wait) {
    boolean changed = false;
    for (ConsumerRecord<String, byte[]> r : consumer.poll(wait)) {
      if (!AssignmentTopic.nodeOf(r.key()).equals(node)) {
        continue; // a key that is not this node's: the agent skips it too
      }
      String id = AssignmentTopic.containerOf(r.key());
      if (r.value() == null) {
        changed |= desired.remove(id) != null;
      } else {
        Assignment a = AssignmentTopic.decode(r.value());
        changed |= !a.equals(desired.put(id, a));
      }
    }
    return changed;
  }

  /** The desired set as read so far, by container id. */
  public Map<String, Assignment> desired() {
    return Map.copyOf(desired);
  }

  @Override
  public void close() {
    consumer.close();
  }
}
