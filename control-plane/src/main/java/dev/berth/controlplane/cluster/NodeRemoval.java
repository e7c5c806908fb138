package dev.berth.controlplane.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.berth.model.fleet.FleetMaps;
import dev.berth.model.fleet.NodeRecord;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Removes a node that is gone for good (`kubectl delete node`): its record leaves the fleet view
 * and its pod subnet is freed. A node whose lease still runs is refused: its agent would only
 * register it again, with containers on addresses freed for another node.
 */
public final class NodeRemoval {
  /** What a removal did. */
  public enum Outcome {
    REMOVED,
    ALIVE,
    UNKNOWN
  }

  private final IMap<String, NodeRecord> nodes;
  private final PodSubnetRange subnets;
  private final LongSupplier clock;

  public NodeRemoval(HazelcastInstance hazelcast, LongSupplier clock) {
    this.nodes = hazelcast.getMap(FleetMaps.NODES);
    this.subnets = new PodSubnetRange(hazelcast);
    this.clock = clock;
  }

  public Outcome remove(String name) {
    // The key's lock holds off the agent's renewal between the check and the delete (an agent that
    // renewed meanwhile keeps its node); it lapses by itself should this process die holding it.
    nodes.lock(name, 10, TimeUnit.SECONDS);
    try {
      NodeRecord n = nodes.get(name);
      if (n != null && n.alive(clock.getAsLong())) {
        return Outcome.ALIVE;
      }
      if (n != null) {
        nodes.delete(name);
      }
      subnets.release(name);
      return n == null ? Outcome.UNKNOWN : Outcome.REMOVED;
    } finally {
      nodes.unlock(name);
    }
  }
}
