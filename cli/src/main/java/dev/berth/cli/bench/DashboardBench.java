package dev.berth.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.berth.controlplane.ControlPlane;
import dev.berth.controlplane.ControlPlaneConfig;
import dev.berth.controlplane.auth.ApiAccess;
import dev.berth.controlplane.pki.ApiCredentials;
import dev.berth.dashboard.Dashboard;
import dev.berth.embedded.EmbeddedHazelcast;
import dev.berth.embedded.EmbeddedKafkaBroker;
import dev.berth.model.JsonMapping;
import dev.berth.model.fleet.ContainerReport;
import dev.berth.model.fleet.ContainerState;
import dev.berth.model.fleet.FleetMaps;
import dev.berth.model.fleet.NodeRecord;
import dev.berth.model.pki.CertificateAuthority;
import dev.berth.model.pki.TrustedCa;
import dev.berth.runtime.files.FileTrees;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The dashboard's server side under load: a control plane with the dashboard, N simulated nodes and
 * C containers in the fleet view, W watchers on /v1/watch; then changes to containers at R a
 * second. Measures the snapshot a new watcher gets (size, time to receive it), and for every change
 * the time from its write to Hazelcast to its arrival at each watcher, and whether every watcher
 * got every change. (The browser's own part, DOM updates, is not measured here.)
 */
@Command(
    name = "dashboard",
    description = "watch-stream latency and fan-out: changes to W watchers over a simulated fleet")
final class DashboardBench implements Callable<Integer> {
  static final double TARGET_P99_MILLIS = 250;

  @Option(names = "--nodes", defaultValue = "1000")
  int nodes;

  @Option(names = "--containers", defaultValue = "10000")
  int containers;

  @Option(names = "--watchers", defaultValue = "100")
  int watchers;

  @Option(names = "--changes", defaultValue = "1000")
  int changes;

  @Option(names = "--rate", defaultValue = "100", description = "changes a second")
  int rate;

  @Override
  public Integer call() throws Exception {
    Path work = Files.createTempDirectory("berth-dashboard-bench-");
    HazelcastInstance hz = EmbeddedHazelcast.start("berth-dash-" + ProcessHandle.current().pid());
    Vertx vertx = Vertx.vertx();
    ApiAccess access = ApiCredentials.ensure(work.resolve("pki"), List.of());
    ControlPlane cp = null;
    try (EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.start(
            work.resolve("kafka"), 0, CertificateAuthority.openOrCreate(access.dir()))) {
      IMap<String, NodeRecord> nodeMap = hz.getMap(FleetMaps.NODES);
      Map<String, NodeRecord> batch = new HashMap<>();
      long lease = System.currentTimeMillis() + 3_600_000;
      for (int i = 0; i < nodes; i++) {
        String n = String.format("node-%05d", i);
        batch.put(
            n,
            new NodeRecord(n, 4000, 8L << 30, 3800, 7L << 30, Map.of(), lease, null, null, null));
      }
      nodeMap.putAll(batch);
      IMap<String, ContainerReport> containerMap = hz.getMap(FleetMaps.CONTAINERS);
      Map<String, ContainerReport> reports = new HashMap<>();
      for (int i = 0; i < containers; i++) {
        ContainerReport r = report(i, 0, ContainerState.RUNNING);
        reports.put(r.containerId(), r);
      }
      containerMap.putAll(reports);
      ControlPlaneConfig config =
          new ControlPlaneConfig(
              broker.bootstrapServers(),
              0,
              "cp-bench",
              3000,
              1000,
              ControlPlaneConfig.DEFAULT_CLUSTER_CIDR,
              access);
      cp =
          ControlPlane.start(vertx, config, hz, List.of(new Dashboard(config.kafka())))
              .toCompletionStage()
              .toCompletableFuture()
              .get(120, TimeUnit.SECONDS);
      URI watch = URI.create("wss://127.0.0.1:" + cp.apiPort() + "/v1/watch");
      HttpClient http =
          HttpClient.newBuilder().sslContext(TrustedCa.sslContext(access.caCert())).build();
      Thread.sleep(2000); // the fleet state reads the maps

      Samples snapshot = new Samples("snapshot");
      int[] snapshotBytes = {0};
      List<Watcher> all = new ArrayList<>();
      for (int i = 0; i < watchers; i++) {
        Watcher w = new Watcher();
        long t0 = System.nanoTime();
        http.newWebSocketBuilder()
            .header("Authorization", "Bearer " + access.bootstrapToken())
            .buildAsync(watch, w)
            .get(30, TimeUnit.SECONDS);
        int size = w.snapshot.get(60, TimeUnit.SECONDS);
        snapshot.add(System.nanoTime() - t0);
        snapshotBytes[0] = size;
        all.add(w);
      }
      System.out.printf(
          "snapshot of %d nodes, %d containers: %.1f MB, received in %.1f ms median, %.1f ms p99"
              + " (%d watchers connected one after another)%n",
          nodes,
          containers,
          snapshotBytes[0] / 1e6,
          snapshot.medianMillis(),
          snapshot.percentileMillis(99),
          watchers);

      long gapNanos = TimeUnit.SECONDS.toNanos(1) / rate;
      long start = System.nanoTime();
      for (int i = 0; i < changes; i++) {
        long due = start + i * gapNanos;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        int c = i % containers;
        containerMap.set(
            reports.get(name(c)).containerId(),
            report(c, i + 1, i % 2 == 0 ? ContainerState.STOPPED : ContainerState.RUNNING));
      }
      long sent = System.nanoTime() - start;
      long deadline = System.currentTimeMillis() + 30_000;
      while (System.currentTimeMillis() < deadline
          && all.stream().anyMatch(w -> w.received.get() < changes)) {
        Thread.sleep(50);
      }
      Samples latency = new Samples("change to watcher");
      int complete = 0;
      for (Watcher w : all) {
        w.latencies.forEach(latency::add);
        if (w.received.get() >= changes) {
          complete++;
        }
      }
      System.out.printf(
          "%d changes at %.0f/s to %d watchers: %d of %d watchers got every change;"
              + " write to arrival %.1f ms median, %.1f ms p99 (target p99 < %.0f ms)%n",
          changes,
          changes / (sent / 1e9),
          watchers,
          complete,
          watchers,
          latency.medianMillis(),
          latency.percentileMillis(99),
          TARGET_P99_MILLIS);
      for (Watcher w : all) {
        w.socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
      }
      return complete == watchers ? 0 : 1;
    } finally {
      if (cp != null) {
        cp.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      hz.shutdown();
      FileTrees.delete(work);
    }
  }

  private static String name(int i) {
    return String.format("bench-g1-r%05d", i);
  }

  /** A container report whose message carries when it was written (epoch nanos). */
  private ContainerReport report(int i, int change, ContainerState state) {
    return new ContainerReport(
        name(i),
        "bench",
        1,
        state,
        state == ContainerState.STOPPED ? 0 : null,
        change,
        change == 0 ? null : "t=" + epochNanos(),
        String.format("node-%05d", i % nodes),
        null,
        List.of());
  }

  private static long epochNanos() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** One watcher: the snapshot's size, then each container change's latency. */
  private static final class Watcher implements WebSocket.Listener {
    final CompletableFuture<Integer> snapshot = new CompletableFuture<>();
    final AtomicInteger received = new AtomicInteger();
    final List<Long> latencies = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final StringBuilder text = new StringBuilder();
    WebSocket socket;

    @Override
    public void onOpen(WebSocket ws) {
      socket = ws;
      ws.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        long now = epochNanos();
        String s = text.toString();
        text.setLength(0);
        if (!snapshot.isDone()) {
          snapshot.complete(s.length());
        } else if (s.startsWith("{\"type\":\"container\"")) {
          try {
            JsonNode m = JsonMapping.mapper().readTree(s);
            String msg = m.path("value").path("message").asText("");
            if (msg.startsWith("t=")) {
              latencies.add(now - Long.parseLong(msg.substring(2)));
              received.incrementAndGet();
            }
          } catch (Exception e) {
            // not a timed change
          }
        }
      }
      ws.request(1);
      return null;
    }
  }
}
