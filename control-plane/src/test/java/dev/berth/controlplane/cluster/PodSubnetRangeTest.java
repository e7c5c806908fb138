package dev.berth.controlplane.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import dev.berth.embedded.EmbeddedHazelcast;
import dev.berth.model.fleet.FleetMaps;
import dev.berth.model.fleet.NodeRecord;
import dev.berth.model.network.PodSubnetTable;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fleet's pod range is set once; a node removed for good frees its subnet, a live one is not
 * removed.
 */
class PodSubnetRangeTest {
  private static HazelcastInstance hz;

  @BeforeAll
  static void start() throws Exception {
    hz = EmbeddedHazelcast.start("berth-podsubnets-" + ProcessHandle.current().pid());
  }

  @AfterAll
  static void stop() {
    hz.shutdown();
  }

  @Test
  void theRangeIsSetOnceAndARemovedNodeFreesItsSubnet() {
    PodSubnetRange range = new PodSubnetRange(hz);
    range.ensure("10.250.0.0/16");
    range.ensure("10.250.0.0/16"); // a second control plane with the same range
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> range.ensure("10.251.0.0/16"));
    assertTrue(e.getMessage().contains("--cluster-cidr 10.250.0.0/16"), e.getMessage());

    var table = hz.<String, PodSubnetTable>getMap(FleetMaps.POD_SUBNETS);
    PodSubnetTable t = table.get(PodSubnetTable.KEY);
    t = t.claim("alive", null).table().claim("gone", null).table();
    table.put(PodSubnetTable.KEY, t);
    var nodes = hz.<String, NodeRecord>getMap(FleetMaps.NODES);
    long now = 1_000_000;
    nodes.put("alive", record("alive", now + 5000, "10.250.0.0/24"));
    nodes.put("gone", record("gone", now - 1, "10.250.1.0/24"));

    NodeRemoval removal = new NodeRemoval(hz, () -> now);
    assertEquals(NodeRemoval.Outcome.ALIVE, removal.remove("alive"));
    assertEquals(NodeRemoval.Outcome.REMOVED, removal.remove("gone"));
    assertEquals(NodeRemoval.Outcome.UNKNOWN, removal.remove("gone"));
    assertTrue(nodes.containsKey("alive") && !nodes.containsKey("gone"));
    PodSubnetTable after = table.get(PodSubnetTable.KEY);
    assertEquals(Map.of("alive", "10.250.0.0/24"), after.byNode());
    assertEquals("10.250.1.0/24", after.claim("new", null).subnet(), "gone's subnet is free again");
  }

  private static NodeRecord record(String name, long lease, String subnet) {
    return new NodeRecord(
        name, 1000, 1 << 30, 1000, 1 << 30, Map.of(), lease, null, "192.0.2.1", subnet);
  }
}
