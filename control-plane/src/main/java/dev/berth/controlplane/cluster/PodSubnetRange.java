package dev.berth.controlplane.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.berth.model.fleet.FleetMaps;
import dev.berth.model.network.PodSubnetTable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * The control plane's side of the pod address plan (Kubernetes' node IPAM controller): it sets the
 * cluster range once for the fleet and releases the subnet of a node that is removed. Nodes claim
 * their subnets themselves, by compare-and-set on the same table.
 */
public final class PodSubnetRange {
  private static final Logger LOG = Logger.getLogger(PodSubnetRange.class.getName());
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

  /** How long a start waits for the range to be written before going on without waiting. */
  static final long START_WAIT_SECONDS = 10;

  /**
   * {@link #ensure}, without holding up a control plane's start for long: a map write can wait
   * while members are still forming their cluster (the agents wait for the range in turn). A
   * different range already set still fails the start when that is known in time.
   */
  public void ensureSoon(String clusterCidr) {
    CompletableFuture<PodSubnetTable> written = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                written.complete(ensure(clusterCidr));
              } catch (RuntimeException e) {
                written.completeExceptionally(e);
                LOG.severe(e.getMessage());
              }
            },
            "berth-pod-range");
    t.setDaemon(true);
    t.start();
    try {
      written.get(START_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (RuntimeException) e.getCause();
    } catch (TimeoutException e) {
      LOG.warning(
          "the fleet's pod range is not written yet (the cluster is forming): going on without it");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
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
