package dev.berth.controlplane.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hazelcast.core.HazelcastInstance;
import dev.berth.embedded.EmbeddedHazelcast;
import dev.berth.model.fleet.NodeRecord;
import dev.berth.testing.SimulatedNodes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Leases in a real Hazelcast member: a node that stops renewing is no longer alive, one that renews
 * again is back.
 */
class NodeRegistryTest {
  @Test
  void aNodeWhoseLeaseRunsOutIsLostAndComesBackWhenItRenews() throws Exception {
    HazelcastInstance member =
        EmbeddedHazelcast.start("berth-test-" + ProcessHandle.current().pid());
    try {
      AtomicLong now = new AtomicLong(1_000_000);
      SimulatedNodes agentSide = new SimulatedNodes(member, now::get);
      NodeRegistry controlPlane = new NodeRegistry(member, now::get);
      agentSide.renew("node-a", 2000, 4L << 30, Map.of("zone", "a"), 3000);
      agentSide.renew("node-b", 2000, 4L << 30, Map.of("zone", "b"), 3000);
      assertEquals(
          List.of("node-a", "node-b"),
          controlPlane.alive().stream().map(NodeRecord::name).toList());

      now.addAndGet(2000);
      agentSide.renew("node-a", 2000, 4L << 30, Map.of("zone", "a"), 3000); // a renews, b has died
      now.addAndGet(1500);
      assertEquals(List.of("node-a"), controlPlane.alive().stream().map(NodeRecord::name).toList());

      agentSide.renew("node-b", 2000, 4L << 30, Map.of("zone", "b"), 3000);
      assertEquals(2, controlPlane.alive().size(), "a node that renews again is back");
      assertEquals("b", controlPlane.alive().get(1).labels().get("zone"));

      // a record whose name cannot name a topic (a forged one) would fail every scheduler pass
      agentSide.renew("Evil Node/../x", 2000, 4L << 30, Map.of(), 3000);
      agentSide.renew("n".repeat(300), 2000, 4L << 30, Map.of(), 3000);
      assertEquals(
          List.of("node-a", "node-b"),
          controlPlane.alive().stream().map(NodeRecord::name).toList(),
          "names no topic can have are no nodes");
    } finally {
      member.shutdown();
    }
  }
}
