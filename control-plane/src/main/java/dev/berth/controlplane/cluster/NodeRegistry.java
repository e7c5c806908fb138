package dev.berth.controlplane.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.berth.model.fleet.FleetMaps;
import dev.berth.model.fleet.NodeRecord;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The fleet's nodes in the Hazelcast map "nodes". Agents renew their lease (every second, for a lease a few
 * seconds long); the control plane reads a node whose lease ran out as lost.
 */
public final class NodeRegistry {
  private final IMap<String, NodeRecord> nodes;
  private final LongSupplier clock;

  public NodeRegistry(HazelcastInstance hazelcast, LongSupplier clock) {
    this.nodes = hazelcast.getMap(FleetMaps.NODES);
    this.clock = clock;
  }

  /** Registers the node or renews its lease for {@code leaseMillis} from now. */
  public void renew(String name, long cpuMillis, long memoryBytes, java.util.Map<String, String> labels,
      long leaseMillis) {
    nodes.set(name, new NodeRecord(name, cpuMillis, memoryBytes, cpuMillis, memoryBytes, labels,
        clock.getAsLong() + leaseMillis, null));
  }

  public List<NodeRecord> alive() {
    long now = clock.getAsLong();
    return nodes.values().stream().filter(n -> n.alive(now)).sorted(java.util.Comparator.comparing(NodeRecord::name))
        .toList();
  }

  public List<NodeRecord> lost() {
    long now = clock.getAsLong();
    return nodes.values().stream().filter(n -> !n.alive(now)).sorted(java.util.Comparator.comparing(NodeRecord::name))
        .toList();
  }

  /** Forgets a node for good (drained or removed from the fleet). */
  public void remove(String name) {
    nodes.delete(name);
  }
}
