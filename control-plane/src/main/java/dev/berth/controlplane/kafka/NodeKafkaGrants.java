package dev.berth.controlplane.kafka;

import dev.berth.model.fleet.AssignmentTopic;
import dev.berth.model.fleet.EventTopic;
import dev.berth.model.fleet.KafkaAccess;
import dev.berth.model.fleet.KafkaClientConfig;
import dev.berth.model.fleet.KafkaPrincipals;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;

/**
 * What a node may do in Kafka, set up when it joins: its own topics (berth.assignments.NODE,
 * compacted; berth.events.NODE, kept a day) and ACLs that let its principal read the first and
 * write the second, and nothing else (not another node's assignments, not the fleet's specs or
 * tokens). Kafka's ACLs are per topic, hence a topic per node. Blocking: call from a worker.
 */
public final class NodeKafkaGrants {
  private final KafkaAccess kafka;

  public NodeKafkaGrants(KafkaAccess kafka) {
    this.kafka = kafka;
  }

  /** Node {@code node}'s assignments topic, as the scheduler and the join create it. */
  public static NewTopic assignmentsTopic(String node) {
    return new NewTopic(AssignmentTopic.topicOf(node), 1, (short) 1)
        .configs(Map.of("cleanup.policy", "compact"));
  }

  /** Node {@code node}'s events topic. */
  public static NewTopic eventsTopic(String node) {
    return new NewTopic(EventTopic.nodeTopic(node), 1, (short) 1)
        .configs(Map.of("retention.ms", Long.toString(EventTopic.RETENTION_MILLIS)));
  }

  /** Creates node {@code node}'s topics unless they exist and grants it their use; idempotent. */
  public void grant(String node) {
    try (Admin admin = Admin.create(KafkaClientConfig.admin(kafka))) {
      KafkaTopics.ensure(admin, List.of(assignmentsTopic(node), eventsTopic(node)));
      List<AclBinding> grants =
          List.of(
              allow(node, AssignmentTopic.topicOf(node), AclOperation.READ),
              allow(node, EventTopic.nodeTopic(node), AclOperation.WRITE));
      admin.createAcls(grants).all().get();
      awaitVisible(admin, node, grants);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot grant node " + node + " its Kafka topics: " + e.getCause().getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted granting node " + node + " its topics", e);
    }
  }

  /**
   * Waits until the broker's authorizer holds {@code grants}: the controller commits them first and
   * the broker applies its metadata after, so a node that starts at once was refused its own topic.
   */
  private static void awaitVisible(Admin admin, String node, List<AclBinding> grants)
      throws ExecutionException, InterruptedException {
    AclBindingFilter mine =
        new AclBindingFilter(
            ResourcePatternFilter.ANY,
            new AccessControlEntryFilter(
                KafkaPrincipals.node(node), null, AclOperation.ANY, AclPermissionType.ANY));
    long deadline = System.currentTimeMillis() + VISIBLE_MILLIS;
    while (!admin.describeAcls(mine).values().get().containsAll(grants)) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException(
            "node " + node + "'s Kafka grants were not applied within " + VISIBLE_MILLIS + " ms");
      }
      Thread.sleep(50);
    }
  }

  private static final long VISIBLE_MILLIS = 15_000;

  /** READ and WRITE imply DESCRIBE, which fetching offsets and metadata needs. */
  private static AclBinding allow(String node, String topic, AclOperation op) {
    return new AclBinding(
        new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
        new AccessControlEntry(KafkaPrincipals.node(node), "*", op, AclPermissionType.ALLOW));
  }
}
