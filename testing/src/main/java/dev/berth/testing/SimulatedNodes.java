package dev.berth.testing;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.berth.model.fleet.FleetMaps;
import dev.berth.model.fleet.NodeRecord;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Nodes that exist only as leases in the fleet map, renewed by the test as an agent would renew its
 * own.
 */
public final class SimulatedNodes {
  private final IMap<String, NodeRecord> nodes;
  private final LongSupplier clock;

  public SimulatedNodes(HazelcastInstance hazelcast, LongSupplier clock) {
    this.nodes = hazelcast.getMap(FleetMaps.NODES);
    this.clock = clock;
  }

  /**
   * Registers the node, or renews its lease, for {@code leaseMillis} from now; it has no node API.
   */
  public void renew(
      String name, long cpuMillis, long memoryBytes, Map<String, String> labels, long leaseMillis) {
    nodes.set(
        name,
        new NodeRecord(
            name,
            cpuMillis,
            memoryBytes,
            cpuMillis,
            memoryBytes,
            labels,
            clock.getAsLong() + leaseMillis,
            null,
            null,
            null));
  }
}
