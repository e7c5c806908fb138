package dev.berth.controlplane.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.berth.model.fleet.FleetMaps;
import dev.berth.model.network.PodSubnetTable;

/**
 * The control plane's side of the pod address plan (Kubernetes' node IPAM controller): it sets the
 * cluster range once for the fleet and releases the subnet of a node that is removed. Nodes claim
 * their subnets themselves, by compare-and-set on the same table.
 */
public final class PodSubnetRange {
  private final IMap<String, PodSubnetTable> map;

  public PodSubnetRange(HazelcastInstance hazelcast) {
    this.map = hazelcast.getMap(FleetMaps.POD_SUBNETS);
  }

  /**
   * Sets the fleet's range to {@code clusterCidr} unless it has one; a different range already set
   * is an error (addresses handed out cannot move).
   */
  public PodSubnetTable ensure(String clusterCidr) {
    PodSubnetTable wanted = PodSubnetTable.of(clusterCidr, PodSubnetTable.DEFAULT_NODE_PREFIX);
    PodSubnetTable had = map.putIfAbsent(PodSubnetTable.KEY, wanted);
    if (had != null && !had.clusterCidr().equals(wanted.clusterCidr())) {
      throw new IllegalStateException(
          "the fleet's cluster range is "
              + had.clusterCidr()
              + ", this control plane was started with "
              + clusterCidr
              + ": start it with --cluster-cidr "
              + had.clusterCidr());
    }
    return had != null ? had : wanted;
  }

  /** Frees {@code node}'s subnet for other nodes. */
  public void release(String node) {
    for (int attempt = 0; attempt < 100; attempt++) { // each lost race is another node's claim
      PodSubnetTable t = map.get(PodSubnetTable.KEY);
      if (t == null || t.subnetOf(node).isEmpty()) {
        return;
      }
      if (map.replace(PodSubnetTable.KEY, t, t.release(node))) {
        return;
      }
    }
    throw new IllegalStateException("could not release the pod subnet of node " + node);
  }
}
