package dev.berth.controlplane.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.berth.model.fleet.AssignmentTopic;
import dev.berth.model.fleet.ContainerReport;
import dev.berth.model.fleet.ContainerState;
import dev.berth.model.fleet.FleetMaps;
import dev.berth.model.fleet.NodeRecord;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The fleet's nodes in the Hazelcast map "nodes", as the scheduler sees them. Agents renew their
 * own lease (every second, for a lease a few seconds long, see the agent's StatusVerticle); a node
 * whose lease ran out is not alive. Also what the nodes report running (the map "containers").
 */
public final class NodeRegistry {
  private final IMap<String, NodeRecord> nodes;
  private final IMap<String, ContainerReport> containers;
  private final LongSupplier clock;

  public NodeRegistry(HazelcastInstance hazelcast, LongSupplier clock) {
    this.nodes = hazelcast.getMap(FleetMaps.NODES);
    this.containers = hazelcast.getMap(FleetMaps.CONTAINERS);
    this.clock = clock;
  }

  /** How many nodes the map holds, alive or not. */
  public int known() {
    return nodes.size();
  }

  /**
   * The nodes whose lease has not run out, by name. A record whose name could not name a node's
   * topic (written by anyone who reached Hazelcast) is no node: placing on it would fail every
   * scheduler pass.
   */
  public List<NodeRecord> alive() {
    long now = clock.getAsLong();
    return nodes.values().stream()
        .filter(n -> n.alive(now) && AssignmentTopic.isNodeName(n.name()))
        .sorted(Comparator.comparing(NodeRecord::name))
        .toList();
  }

  /** The nodes whose lease ran out no more than {@code marginMillis} ago. */
  public Set<String> lostWithin(long marginMillis) {
    long now = clock.getAsLong();
    Set<String> out = new HashSet<>();
    for (NodeRecord n : nodes.values()) {
      if (!n.alive(now) && now <= n.leaseExpiresAtMillis() + marginMillis) {
        out.add(n.name());
      }
    }
    return out;
  }

  /** The containers of {@code workloads} that their nodes last reported running. */
  public List<ContainerReport> running(Set<String> workloads) {
    return containers.values().stream()
        .filter(r -> r.state() == ContainerState.RUNNING && workloads.contains(r.workload()))
        .toList();
  }
}
