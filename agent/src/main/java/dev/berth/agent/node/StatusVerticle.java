package dev.berth.agent.node;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.berth.agent.network.PodNetwork;
import dev.berth.agent.reconcile.LeaseFence;
import dev.berth.model.fleet.ContainerReport;
import dev.berth.model.fleet.FleetMaps;
import dev.berth.model.fleet.NodeRecord;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.WorkerExecutor;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The node in the live fleet view: renews its lease in the map "nodes" every second and writes its
 * containers' reports to the map "containers" (and takes out those it no longer runs). Hazelcast
 * calls block, so they run on a worker. Each renewal written moves the node's {@link LeaseFence}
 * on.
 */
public final class StatusVerticle extends AbstractVerticle {
  private final AgentConfig config;
  private final HazelcastInstance hazelcast;
  private final String apiAddress;
  private final PodNetwork podNetwork;
  private final LeaseFence fence;
  private final Set<String> published = new HashSet<>();
  private WorkerExecutor worker;

  /**
   * {@code podNetwork}: null when the node takes no part in the fleet's pod network; {@code fence}
   * hears of every renewal written.
   */
  public StatusVerticle(
      AgentConfig config,
      HazelcastInstance hazelcast,
      String apiAddress,
      PodNetwork podNetwork,
      LeaseFence fence) {
    this.fence = fence;
    this.config = config;
    this.hazelcast = hazelcast;
    this.apiAddress = apiAddress;
    this.podNetwork = podNetwork;
  }

  @Override
  public void start() {
    worker = vertx.createSharedWorkerExecutor("berth-status-" + config.nodeName(), 1);
    // What an earlier run of this node reported is this run's to take out once it no longer runs
    // it.
    worker.executeBlocking(
        () -> {
          IMap<String, ContainerReport> containers = hazelcast.getMap(FleetMaps.CONTAINERS);
          containers.values().stream()
              .filter(r -> config.nodeName().equals(r.node()))
              .forEach(r -> published.add(r.containerId()));
          return null;
        },
        true);
    renew();
    vertx.setPeriodic(1000, t -> renew());
    vertx
        .eventBus()
        .<NodeReports>consumer(
            AgentAddresses.reports(config.nodeName()), m -> publish(m.body().reports()));
  }

  private void renew() {
    worker.executeBlocking(
        () -> {
          long started = fence.now();
          IMap<String, NodeRecord> nodes = hazelcast.getMap(FleetMaps.NODES);
          nodes.set(
              config.nodeName(),
              new NodeRecord(
                  config.nodeName(),
                  config.cpuMillis(),
                  config.memoryBytes(),
                  config.allocatableCpuMillis(),
                  config.allocatableMemoryBytes(),
                  config.labels(),
                  System.currentTimeMillis() + config.leaseMillis(),
                  apiAddress,
                  podNetwork == null ? null : podNetwork.nodeAddress(),
                  podNetwork == null ? null : podNetwork.subnet()));
          fence.renewed(started, fence.now());
          return null;
        },
        true);
  }

  private void publish(List<ContainerReport> now) {
    worker.executeBlocking(
        () -> {
          IMap<String, ContainerReport> containers = hazelcast.getMap(FleetMaps.CONTAINERS);
          Map<String, ContainerReport> batch = new HashMap<>();
          now.forEach(r -> batch.put(r.containerId(), r));
          containers.putAll(batch);
          // Containers this node no longer runs leave the view (the worker is ordered: one publish
          // at a time).
          for (String gone : published) {
            ContainerReport last = batch.containsKey(gone) ? null : containers.get(gone);
            if (last != null
                && config.nodeName().equals(last.node())) { // not since moved to another node
              containers.delete(gone);
            }
          }
          published.clear();
          published.addAll(batch.keySet());
          return null;
        },
        true);
  }

  @Override
  public void stop() {
    if (worker != null) {
      worker.close();
    }
  }
}
