package dev.berth.controlplane.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.controlplane.TestCredentials;
import dev.berth.controlplane.auth.ApiAccess;
import dev.berth.controlplane.auth.TokenStore;
import dev.berth.controlplane.pki.NodeCertificates;
import dev.berth.controlplane.specs.WorkloadStore;
import dev.berth.embedded.EmbeddedKafkaBroker;
import dev.berth.model.fleet.AssignmentTopic;
import dev.berth.model.fleet.EventTopic;
import dev.berth.model.fleet.KafkaAccess;
import dev.berth.model.fleet.KafkaClientConfig;
import dev.berth.model.fleet.WorkloadTopic;
import dev.berth.model.pki.CertificateAuthority;
import dev.berth.model.pki.TlsFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A node's certificate gets it into Kafka, where it may read its own assignments and write its own
 * events, and nothing else: not another node's assignments, not its own assignments' log (only the
 * scheduler writes there), not the fleet's specs, tokens or events, not a topic or ACL of its own.
 */
class NodeKafkaGrantsTest {
  static Path data;
  static EmbeddedKafkaBroker broker;
  static KafkaAccess controlPlane;
  static KafkaAccess nodeA;

  @BeforeAll
  static void start() throws Exception {
    data = Files.createTempDirectory("berth-kafka-acls-");
    ApiAccess access = TestCredentials.in(data.resolve("pki"));
    broker = TestCredentials.broker(data.resolve("kafka"), access);
    controlPlane = TestCredentials.kafka(access, broker);
    NodeKafkaGrants grants = new NodeKafkaGrants(controlPlane);
    grants.grant("node-a");
    grants.grant("node-b");
    grants.grant("node-a"); // a second join changes nothing
    // the fleet's own topics, as a control plane makes them
    WorkloadStore.open(controlPlane).close();
    TokenStore.open(controlPlane).close();
    Path a = Files.createDirectories(data.resolve("node-a"));
    new NodeCertificates(CertificateAuthority.openOrCreate(access.dir()))
        .issueLocally(
            "node-a", List.of(), a.resolve("node.crt"), a.resolve("node.key"), a.resolve("ca.crt"));
    nodeA =
        KafkaAccess.mutualTls(
            broker.bootstrapServers(),
            new TlsFiles(a.resolve("ca.crt"), a.resolve("node.crt"), a.resolve("node.key")));
    send(controlPlane, AssignmentTopic.topicOf("node-a"), "node-a/web-g1-r0");
    send(controlPlane, AssignmentTopic.topicOf("node-b"), "node-b/web-g1-r1");
  }

  @AfterAll
  static void stop() throws Exception {
    broker.close();
    try (var walk = Files.walk(data)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static void send(KafkaAccess who, String topic, String key) throws Exception {
    try (KafkaProducer<String, byte[]> p =
        new KafkaProducer<>(
            KafkaClientConfig.with(
                KafkaClientConfig.durableProducer(who, 0), "max.block.ms", 10_000))) {
      p.send(new ProducerRecord<>(topic, key, "{}".getBytes())).get();
    }
  }

  private static List<String> keys(KafkaAccess who, String topic) {
    List<String> keys = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(
            KafkaClientConfig.with(
                KafkaClientConfig.assignedConsumer(who), "default.api.timeout.ms", 10_000))) {
      TopicPartition p = new TopicPartition(topic, 0);
      c.assign(List.of(p));
      c.seekToBeginning(List.of(p));
      long end = c.endOffsets(List.of(p)).get(p);
      while (c.position(p) < end) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
          keys.add(r.key());
        }
      }
    }
    return keys;
  }

  private static void assertDenied(Executable attempt) {
    Throwable t = assertThrows(Throwable.class, attempt);
    Throwable cause = t instanceof ExecutionException ? t.getCause() : t;
    assertTrue(cause instanceof AuthorizationException, "denied by Kafka's ACLs, not " + t);
  }

  @Test
  void aNodeReadsItsOwnAssignmentsAndNoOneElses() {
    assertEquals(List.of("node-a/web-g1-r0"), keys(nodeA, AssignmentTopic.topicOf("node-a")));
    assertDenied(() -> keys(nodeA, AssignmentTopic.topicOf("node-b")));
  }

  @Test
  void aNodeCannotWriteAssignmentsNotEvenItsOwn() {
    assertDenied(() -> send(nodeA, AssignmentTopic.topicOf("node-a"), "node-a/evil-g1-r0"));
    assertDenied(() -> send(nodeA, AssignmentTopic.topicOf("node-b"), "node-b/evil-g1-r0"));
  }

  @Test
  void aNodeWritesItsOwnEventsOnly() throws Exception {
    send(nodeA, EventTopic.nodeTopic("node-a"), "node-a");
    assertTrue(keys(controlPlane, EventTopic.nodeTopic("node-a")).contains("node-a"));
    assertDenied(() -> send(nodeA, EventTopic.nodeTopic("node-b"), "node-b"));
    assertDenied(() -> send(nodeA, EventTopic.TOPIC, "node-b"));
    assertDenied(() -> keys(nodeA, EventTopic.nodeTopic("node-b")));
  }

  @Test
  void aNodeCannotReadOrWriteTheFleetsSpecsOrTokens() {
    assertDenied(() -> keys(nodeA, WorkloadTopic.TOPIC));
    assertDenied(() -> keys(nodeA, TokenStore.TOPIC));
    assertDenied(() -> send(nodeA, WorkloadTopic.TOPIC, "web"));
  }

  @Test
  void aNodeCannotCreateTopicsOrGrantItselfMore() {
    try (Admin admin = Admin.create(KafkaClientConfig.admin(nodeA))) {
      assertDenied(
          () -> admin.createTopics(List.of(new NewTopic("berth.mine", 1, (short) 1))).all().get());
      assertDenied(
          () ->
              admin
                  .createAcls(
                      List.of(
                          new AclBinding(
                              new ResourcePattern(ResourceType.TOPIC, "*", PatternType.LITERAL),
                              new AccessControlEntry(
                                  "User:node:node-a",
                                  "*",
                                  AclOperation.ALL,
                                  AclPermissionType.ALLOW))))
                  .all()
                  .get());
      assertDenied(
          () -> admin.deleteTopics(List.of(AssignmentTopic.topicOf("node-b"))).all().get());
    }
  }
}
