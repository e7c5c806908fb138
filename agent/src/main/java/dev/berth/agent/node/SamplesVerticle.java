package dev.berth.agent.node;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.berth.model.fleet.ContainerReport;
import dev.berth.model.fleet.ContainerSample;
import dev.berth.model.fleet.ContainerState;
import dev.berth.model.fleet.FleetMaps;
import dev.berth.runtime.ContainerException;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.cgroups.CgroupStats;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.WorkerExecutor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Samples the cgroup accounting of this node's running containers every {@link #INTERVAL_MILLIS}
 * (CPU time, memory in use and its limit, pids) into the map containerSamples, where the dashboard
 * charts them. Each sample outlives a few intervals only, so a stopped container's last one goes.
 * Cgroup reads and Hazelcast calls run on a worker.
 */
public final class SamplesVerticle extends AbstractVerticle {
  public static final long INTERVAL_MILLIS = 2000;
  private static final long TTL_MILLIS = 5 * INTERVAL_MILLIS;
  private final String node;
  private final ContainerRuntime runtime;
  private final HazelcastInstance hazelcast;
  private volatile List<ContainerReport> last = List.of();
  private WorkerExecutor worker;

  public SamplesVerticle(String node, ContainerRuntime runtime, HazelcastInstance hazelcast) {
    this.node = node;
    this.runtime = runtime;
    this.hazelcast = hazelcast;
  }

  @Override
  public void start() {
    worker = vertx.createSharedWorkerExecutor("berth-samples-" + node, 1);
    vertx
        .eventBus()
        .<NodeReports>consumer(AgentAddresses.reports(node), m -> last = m.body().reports());
    vertx.setPeriodic(INTERVAL_MILLIS, t -> worker.executeBlocking(this::sample, true));
  }

  private Void sample() {
    long now = System.currentTimeMillis();
    Map<String, ContainerSample> batch = new HashMap<>();
    for (ContainerReport r : last) {
      if (r.state() != ContainerState.RUNNING) {
        continue;
      }
      try {
        CgroupStats s = runtime.stats(r.containerId());
        batch.put(
            r.containerId(),
            new ContainerSample(
                r.containerId(),
                node,
                now,
                s.cpu() == null ? 0 : s.cpu().usage().total(),
                s.memory() == null ? 0 : s.memory().usage().usage(),
                s.memory() == null ? 0 : unlimitedAsZero(s.memory().usage().limit()),
                s.pids() == null ? 0 : s.pids().current()));
      } catch (ContainerException | RuntimeException e) {
        // Gone since the last pass (or its cgroup is): the next report says so.
      }
    }
    IMap<String, ContainerSample> samples = hazelcast.getMap(FleetMaps.SAMPLES);
    batch.forEach((id, s) -> samples.setAsync(id, s, TTL_MILLIS, TimeUnit.MILLISECONDS));
    return null;
  }

  /** cgroup v1 reports "no limit" as a huge page-aligned number. */
  private static long unlimitedAsZero(long limit) {
    return limit <= 0 || limit >= Long.MAX_VALUE / 2 ? 0 : limit;
  }

  @Override
  public void stop() {
    if (worker != null) {
      worker.close();
    }
  }
}
