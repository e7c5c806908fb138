package dev.berth.controlplane.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import dev.berth.controlplane.TestCredentials;
import dev.berth.controlplane.auth.ApiAccess;
import dev.berth.controlplane.cluster.NodeRegistry;
import dev.berth.controlplane.kafka.TransactionalWriter;
import dev.berth.controlplane.specs.WorkloadStore;
import dev.berth.embedded.EmbeddedHazelcast;
import dev.berth.embedded.EmbeddedKafkaBroker;
import dev.berth.model.fleet.Assignment;
import dev.berth.model.fleet.FleetMaps;
import dev.berth.model.fleet.SchedulingStatus;
import dev.berth.model.fleet.WorkloadSpecs;
import dev.berth.testing.AssignmentTopicReader;
import dev.berth.testing.SimulatedNodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Desired state from an applied workload to each agent's feed, through a real Kafka broker and a
 * real Hazelcast member: placement over two nodes, scaling, a lost node's replicas moving,
 * deletion.
 */
class SchedulingThroughKafkaTest {
  /**
   * Polls until two polls in a row bring nothing new (writes are acknowledged before the test
   * reads).
   */
  private static Map<String, Assignment> settle(AssignmentTopicReader feed) {
    int quiet = 0;
    for (int i = 0; i < 40 && quiet < 2; i++) {
      quiet = feed.poll(Duration.ofMillis(250)) ? 0 : quiet + 1;
    }
    return feed.desired();
  }

  @Test
  void workloadsReachTheirNodesAndFollowScalingNodeLossAndDeletion(@TempDir Path data)
      throws Exception {
    HazelcastInstance hz = EmbeddedHazelcast.start("berth-sched-" + ProcessHandle.current().pid());
    ApiAccess access = TestCredentials.in(data.resolve("pki"));
    try (EmbeddedKafkaBroker broker = TestCredentials.broker(data.resolve("kafka"), access);
        WorkloadStore store = WorkloadStore.open(TestCredentials.kafka(access, broker));
        AssignmentLog log = AssignmentLog.open(TestCredentials.kafka(access, broker));
        AssignmentTopicReader a =
            new AssignmentTopicReader(TestCredentials.kafka(access, broker), "node-a");
        AssignmentTopicReader b =
            new AssignmentTopicReader(TestCredentials.kafka(access, broker), "node-b")) {
      AtomicLong now = new AtomicLong(1_000_000);
      SimulatedNodes nodes = new SimulatedNodes(hz, now::get);
      nodes.renew("node-a", 4000, 8L << 30, Map.of(), 3000);
      nodes.renew("node-b", 4000, 8L << 30, Map.of(), 3000);
      SchedulerPass scheduler =
          new SchedulerPass(store, new NodeRegistry(hz, now::get), log, new SchedulingStatuses(hz));

      store.apply(
          WorkloadSpecs.read(
              ("{\"name\":\"web\",\"image\":\"busybox\",\"replicas\":3,"
                      + "\"resources\":{\"limits\":{\"memory\":\"64Mi\"}}}")
                  .getBytes(StandardCharsets.UTF_8),
              false));
      assertEquals(3, scheduler.run().placed());
      Map<String, Assignment> onA = settle(a);
      Map<String, Assignment> onB = settle(b);
      assertEquals(3, onA.size() + onB.size());
      assertTrue(
          onA.size() >= 1 && onB.size() >= 1,
          "spread over both nodes: " + onA.keySet() + onB.keySet());
      assertEquals(64L << 20, onA.values().iterator().next().memoryLimitBytes());

      // Three replicas wanting host port 8080 on two nodes: the third has no node, and says why.
      store.apply(
          WorkloadSpecs.read(
              ("{\"name\":\"edge\",\"image\":\"busybox\",\"replicas\":3,"
                      + "\"ports\":[{\"containerPort\":80,\"hostPort\":8080}]}")
                  .getBytes(StandardCharsets.UTF_8),
              false));
      assertEquals(1, scheduler.run().unschedulable());
      SchedulingStatus edge = hz.<String, SchedulingStatus>getMap(FleetMaps.SCHEDULING).get("edge");
      assertEquals(2, edge.placed());
      assertEquals(1, edge.unschedulable());
      assertEquals("0/2 nodes are available: 2 with hostPort 8080/TCP in use", edge.reason());
      assertEquals(
          8080,
          settle(a).values().stream()
              .filter(x -> x.workload().equals("edge"))
              .findFirst()
              .orElseThrow()
              .ports()
              .get(0)
              .hostPort(),
          "the assignment carries the port to the agent");
      store.delete("edge");
      scheduler.run();
      assertEquals(
          null, hz.getMap(FleetMaps.SCHEDULING).get("edge"), "a deleted workload's status goes");

      store.apply(
          WorkloadSpecs.read(
              "{\"name\":\"web\",\"image\":\"busybox\",\"replicas\":5}".getBytes(), false));
      scheduler.run();
      assertEquals(5, settle(a).size() + settle(b).size());
      assertTrue(
          settle(a).keySet().stream().allMatch(id -> id.startsWith("web-g2-")),
          "the new generation replaced it");

      now.addAndGet(2000);
      nodes.renew("node-a", 4000, 8L << 30, Map.of(), 3000); // node-b stops renewing
      now.addAndGet(1500);
      scheduler.run();
      assertEquals(5, settle(a).size(), "node-b's replicas moved to node-a");
      assertEquals(0, settle(b).size(), "and are tombstoned for node-b");

      store.delete("web");
      scheduler.run();
      assertEquals(0, settle(a).size());

      try (AssignmentTopicReader cold =
          new AssignmentTopicReader(TestCredentials.kafka(access, broker), "node-a")) {
        assertEquals(
            settle(a), settle(cold), "a cold start rebuilds the same desired set from offset 0");
      }
    } finally {
      hz.shutdown();
    }
  }

  @Test
  void aUniqueReplicaLeavesALostNodeOnlyAfterItsLeasePlusTheMarginAndItsNextGenerationStaysPut(
      @TempDir Path data) throws Exception {
    HazelcastInstance hz = EmbeddedHazelcast.start("berth-unique-" + ProcessHandle.current().pid());
    ApiAccess access = TestCredentials.in(data.resolve("pki"));
    try (EmbeddedKafkaBroker broker = TestCredentials.broker(data.resolve("kafka"), access);
        WorkloadStore store = WorkloadStore.open(TestCredentials.kafka(access, broker));
        AssignmentLog log = AssignmentLog.open(TestCredentials.kafka(access, broker));
        AssignmentTopicReader a =
            new AssignmentTopicReader(TestCredentials.kafka(access, broker), "node-a");
        AssignmentTopicReader b =
            new AssignmentTopicReader(TestCredentials.kafka(access, broker), "node-b")) {
      AtomicLong now = new AtomicLong(1_000_000);
      SimulatedNodes nodes = new SimulatedNodes(hz, now::get);
      nodes.renew("node-a", 4000, 8L << 30, Map.of(), 3000);
      nodes.renew("node-b", 4000, 8L << 30, Map.of(), 3000);
      SchedulerPass scheduler =
          new SchedulerPass(store, new NodeRegistry(hz, now::get), log, new SchedulingStatuses(hz));
      store.apply(
          WorkloadSpecs.read(
              "{\"name\":\"solo\",\"image\":\"busybox\",\"replicaIdentity\":\"unique\"}"
                  .getBytes(StandardCharsets.UTF_8),
              false));
      store.apply(
          WorkloadSpecs.read(
              "{\"name\":\"web\",\"image\":\"busybox\",\"replicas\":2}"
                  .getBytes(StandardCharsets.UTF_8),
              false));
      scheduler.run();
      boolean onA = settle(a).containsKey("solo-g1-r0");
      AssignmentTopicReader lost = onA ? a : b;
      AssignmentTopicReader kept = onA ? b : a;
      String keptNode = onA ? "node-b" : "node-a";
      String lostNode = onA ? "node-a" : "node-b";
      assertTrue(settle(lost).get("solo-g1-r0").unique(), "the agent is told it is unique");

      now.addAndGet(2000);
      nodes.renew(keptNode, 4000, 8L << 30, Map.of(), 3000);
      now.addAndGet(1500); // the lost node's lease ran out 500 ms ago
      scheduler.run();
      assertEquals(Map.of(), Map.copyOf(withPrefix(settle(lost), "web")), "shared replicas move");
      assertTrue(settle(lost).containsKey("solo-g1-r0"), "the unique one stays within the margin");
      assertFalse(settle(kept).containsKey("solo-g1-r0"));
      now.addAndGet(1000);
      nodes.renew(keptNode, 4000, 8L << 30, Map.of(), 3000);
      scheduler.run();
      assertTrue(settle(lost).containsKey("solo-g1-r0"), "1.5 s after: still within 2 s");
      now.addAndGet(1000);
      nodes.renew(keptNode, 4000, 8L << 30, Map.of(), 3000);
      scheduler.run();
      assertEquals(Map.of(), settle(lost), "2.5 s after the lease ran out it moves");
      assertTrue(settle(kept).containsKey("solo-g1-r0"));

      // The lost node comes back, emptier, so it would win a free choice; the next generation of
      // the unique replica goes where the previous one runs, which replaces it in one pass.
      nodes.renew(lostNode, 4000, 8L << 30, Map.of(), 3000);
      store.apply(
          WorkloadSpecs.read(
              ("{\"name\":\"solo\",\"image\":\"busybox\",\"replicaIdentity\":\"unique\","
                      + "\"env\":{\"V\":\"2\"}}")
                  .getBytes(StandardCharsets.UTF_8),
              false));
      scheduler.run();
      assertTrue(settle(kept).containsKey("solo-g2-r0"), "stays on " + keptNode);
      assertFalse(settle(kept).containsKey("solo-g1-r0"));
      assertFalse(settle(lost).containsKey("solo-g2-r0"));
    } finally {
      hz.shutdown();
    }
  }

  private static Map<String, Assignment> withPrefix(Map<String, Assignment> all, String workload) {
    Map<String, Assignment> out = new java.util.HashMap<>();
    all.forEach(
        (id, x) -> {
          if (x.workload().equals(workload)) {
            out.put(id, x);
          }
        });
    return out;
  }

  private static int total(AssignmentTopicReader a, AssignmentTopicReader b) {
    return settle(a).size() + settle(b).size();
  }

  @Test
  void aLeaderTakenOverOnKafkasSideCannotWriteAndLosingEveryNodeAtOnceMovesNothing(
      @TempDir Path data) throws Exception {
    HazelcastInstance hz = EmbeddedHazelcast.start("berth-fence-" + ProcessHandle.current().pid());
    ApiAccess access = TestCredentials.in(data.resolve("pki"));
    try (EmbeddedKafkaBroker broker = TestCredentials.broker(data.resolve("kafka"), access);
        WorkloadStore store = WorkloadStore.open(TestCredentials.kafka(access, broker));
        AssignmentLog log1 = AssignmentLog.open(TestCredentials.kafka(access, broker));
        AssignmentLog log2 = AssignmentLog.open(TestCredentials.kafka(access, broker));
        AssignmentTopicReader a =
            new AssignmentTopicReader(TestCredentials.kafka(access, broker), "node-a");
        AssignmentTopicReader b =
            new AssignmentTopicReader(TestCredentials.kafka(access, broker), "node-b")) {
      AtomicLong now = new AtomicLong(1_000_000);
      SimulatedNodes nodes = new SimulatedNodes(hz, now::get);
      nodes.renew("node-a", 4000, 8L << 30, Map.of(), 3000);
      nodes.renew("node-b", 4000, 8L << 30, Map.of(), 3000);
      NodeRegistry registry = new NodeRegistry(hz, now::get);
      SchedulerPass old = new SchedulerPass(store, registry, log1, new SchedulingStatuses(hz));
      SchedulerPass next = new SchedulerPass(store, registry, log2, new SchedulingStatuses(hz));
      old.resync();
      store.apply(
          WorkloadSpecs.read(
              "{\"name\":\"web\",\"image\":\"b\",\"replicas\":2}".getBytes(), false));
      old.run();
      assertEquals(2, total(a, b));

      // Both believe they lead (a split Hazelcast cluster); the one that claimed last writes.
      next.resync();
      store.apply(
          WorkloadSpecs.read(
              "{\"name\":\"web\",\"image\":\"b\",\"replicas\":4}".getBytes(), false));
      assertThrows(TransactionalWriter.FencedException.class, old::run);
      assertEquals(2, total(a, b), "nothing of the fenced leader's pass is seen");
      next.run();
      assertEquals(4, total(a, b));

      // Every node's lease runs out at once: nothing moves, removals still happen.
      Map<String, Assignment> before = new java.util.HashMap<>(settle(a));
      before.putAll(settle(b));
      now.addAndGet(10_000);
      assertFalse(next.seesFleet(), "no node alive, two known");
      next.run();
      assertEquals(4, total(a, b), "held in place");
      store.apply(
          WorkloadSpecs.read(
              "{\"name\":\"web\",\"image\":\"b\",\"replicas\":3}".getBytes(), false));
      next.run();
      assertEquals(3, total(a, b), "a scale-down still applies");
      assertTrue(before.keySet().containsAll(settle(a).keySet()), "the rest is kept as it was");
      nodes.renew("node-a", 4000, 8L << 30, Map.of(), 3000);
      next.run();
      assertEquals(3, settle(a).size(), "node-a back: node-b's replicas move to it");
      assertEquals(0, settle(b).size());
    } finally {
      hz.shutdown();
    }
  }
}
