package dev.berth.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.berth.cli.bench.browser.HeadlessChromium;
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
 * got every change. With chromium installed it also measures the page itself (DashboardPageProbe):
 * how soon the overview shows the whole fleet after navigation, and, while the changes run, the
 * time from a container's change to its row's change in the DOM, the frame rate and long tasks.
 */
@Command(
    name = "dashboard",
    description = "watch-stream latency and fan-out: changes to W watchers over a simulated fleet")
final class DashboardBench implements Callable<Integer> {
  static final double TARGET_P99_MILLIS = 250;
  static final double TARGET_RENDER_MILLIS = 1000;
  private Vertx vertx;

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

  @Option(
      names = "--browser",
      negatable = true,
      defaultValue = "true",
      description = "measure the page in headless chromium too (when /usr/bin/chromium exists)")
  boolean browser;

  @Option(names = "--page-loads", defaultValue = "5")
  int pageLoads;

  @Option(
      names = "--page-profile",
      description = "write the page's CPU profile while the changes run to this .cpuprofile file")
  Path pageProfile;

  /** Every this many changes, one goes to a container whose row the page shows. */
  private static final int VISIBLE_EVERY = 10;

  @Override
  public Integer call() throws Exception {
    Path work = Files.createTempDirectory("berth-dashboard-bench-");
    HazelcastInstance hz = EmbeddedHazelcast.start("berth-dash-" + ProcessHandle.current().pid());
    vertx = Vertx.vertx();
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
      boolean ok = true;
      // The page and the watchers are measured one after the other: on this 2-core machine a
      // browser beside 100 watchers takes the cores the server fans out on, and a user's browser
      // runs on the user's machine.
      if (browser && HeadlessChromium.installed()) {
        ok &= measurePage(cp.apiPort(), access, containerMap);
      } else if (browser) {
        System.out.println("browser: skipped (" + HeadlessChromium.BINARY + " is not installed)");
      }
      ok &= measureWatchers(cp.apiPort(), access, containerMap);
      return ok ? 0 : 1;
    } finally {
      if (cp != null) {
        cp.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      hz.shutdown();
      FileTrees.delete(work);
    }
  }

  /** The page: cold loads of the overview, then the changes as its DOM shows them. */
  private boolean measurePage(int apiPort, ApiAccess access, IMap<String, ContainerReport> fleet)
      throws Exception {
    try (DashboardPageProbe page =
        DashboardPageProbe.open(vertx, access.servingCert(), containers)) {
      Samples parsed = new Samples("document parsed");
      Samples socket = new Samples("socket open");
      Samples snapshotIn = new Samples("snapshot received");
      Samples render = new Samples("overview rendered");
      String url = "https://127.0.0.1:" + apiPort + "/#token=" + access.bootstrapToken();
      for (int i = 0; i < pageLoads; i++) {
        // past the server's one-second snapshot cache, in a new browser context: each load is
        // a first visit (no cached script, no open connection, no cached snapshot)
        Thread.sleep(1500);
        DashboardPageProbe.PageLoad load = page.load(url);
        parsed.add((long) (load.parsed() * 1e6));
        socket.add((long) (load.socketOpen() * 1e6));
        snapshotIn.add((long) (load.snapshot() * 1e6));
        render.add((long) (load.rendered() * 1e6));
      }
      List<String> visible = page.rowKeys();
      double clockOffset = page.clockOffsetMillis();
      System.out.printf(
          "browser: the overview showed %d nodes, %d containers %.0f ms median after navigation"
              + " start, slowest %.0f ms (%d first visits; target < %.0f ms); %d container rows"
              + " in its DOM; page clock %+.2f ms from ours%n"
              + "browser: medians from navigation start: document parsed %.0f ms, watch socket"
              + " open %.0f ms, snapshot received %.0f ms, overview shown %.0f ms%n",
          nodes,
          containers,
          render.medianMillis(),
          render.percentileMillis(100),
          pageLoads,
          TARGET_RENDER_MILLIS,
          visible.size(),
          clockOffset,
          parsed.medianMillis(),
          socket.medianMillis(),
          snapshotIn.medianMillis(),
          render.medianMillis());
      page.countFrames(true);
      if (pageProfile != null) {
        page.startProfile();
      }
      ChangeRun run = runChanges(fleet, visible, 1);
      if (pageProfile != null) {
        page.stopProfile(pageProfile);
      }
      page.countFrames(false);
      Thread.sleep(1000); // the last changes' frames
      boolean keptUp = reportPage(page.results(), run, clockOffset);
      return keptUp && render.medianMillis() < TARGET_RENDER_MILLIS;
    }
  }

  /** W watchers on /v1/watch: their snapshots, then whether each gets every change, how soon. */
  private boolean measureWatchers(
      int apiPort, ApiAccess access, IMap<String, ContainerReport> fleet) throws Exception {
    URI watch = URI.create("wss://127.0.0.1:" + apiPort + "/v1/watch");
    HttpClient http =
        HttpClient.newBuilder().sslContext(TrustedCa.sslContext(access.caCert())).build();
    Samples snapshot = new Samples("snapshot");
    int snapshotBytes = 0;
    List<Watcher> all = new ArrayList<>();
    for (int i = 0; i < watchers; i++) {
      Watcher w = new Watcher();
      long t0 = System.nanoTime();
      http.newWebSocketBuilder()
          .header("Authorization", "Bearer " + access.bootstrapToken())
          .buildAsync(watch, w)
          .get(30, TimeUnit.SECONDS);
      snapshotBytes = w.snapshot.get(60, TimeUnit.SECONDS);
      snapshot.add(System.nanoTime() - t0);
      all.add(w);
    }
    System.out.printf(
        "snapshot of %d nodes, %d containers: %.1f MB, received in %.1f ms median, %.1f ms p99"
            + " (%d watchers connected one after another)%n",
        nodes,
        containers,
        snapshotBytes / 1e6,
        snapshot.medianMillis(),
        snapshot.percentileMillis(99),
        watchers);
    // numbered after the page's changes, so no restart count repeats one the page saw
    ChangeRun run = runChanges(fleet, List.of(), changes + 1);
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
      w.socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    }
    System.out.printf(
        "%d changes at %.0f/s to %d watchers: %d of %d watchers got every change;"
            + " write to arrival %.1f ms median, %.1f ms p99 (target p99 < %.0f ms)%n",
        changes,
        changes / run.seconds(),
        watchers,
        complete,
        watchers,
        latency.medianMillis(),
        latency.percentileMillis(99),
        TARGET_P99_MILLIS);
    return complete == watchers;
  }

  /** Changes run at {@code rate}: when they ran and which went to rows the page shows. */
  private record ChangeRun(List<VisibleChange> visible, double fromMillis, double toMillis) {
    double seconds() {
      return (toMillis - fromMillis) / 1000;
    }
  }

  /**
   * Writes {@code changes} container changes at {@code rate} a second, each a state flip with a new
   * restart count (first + i); every {@link #VISIBLE_EVERY}th goes to one of {@code visible}.
   */
  private ChangeRun runChanges(IMap<String, ContainerReport> fleet, List<String> visible, int first)
      throws InterruptedException {
    long gapNanos = TimeUnit.SECONDS.toNanos(1) / rate;
    List<VisibleChange> shown = new ArrayList<>();
    double from = epochNanos() / 1e6;
    long start = System.nanoTime();
    for (int i = 0; i < changes; i++) {
      long wait = start + i * gapNanos - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      boolean toVisible = !visible.isEmpty() && i % VISIBLE_EVERY == 0;
      int c = i % containers;
      if (toVisible) {
        String key = visible.get((i / VISIBLE_EVERY) % visible.size());
        c = Integer.parseInt(key.substring(key.lastIndexOf('r') + 1));
      }
      long at = epochNanos();
      fleet.set(
          name(c),
          report(c, first + i, i % 2 == 0 ? ContainerState.STOPPED : ContainerState.RUNNING, at));
      if (toVisible) {
        shown.add(new VisibleChange(name(c), first + i, at));
      }
    }
    return new ChangeRun(shown, from, epochNanos() / 1e6);
  }

  private static String name(int i) {
    return String.format("bench-g1-r%05d", i);
  }

  /** A change to a container whose row the page shows: its restart count is the change's number. */
  private record VisibleChange(String container, int restarts, long writtenEpochNanos) {}

  /**
   * Prints what the page saw of the changes: each visible change's delay to the DOM (corrected by
   * the clock offset), frames a second and long tasks while they ran, and whether its store applied
   * every change. True when it kept up: every visible change shown, p99 under the target, every
   * change applied.
   */
  private boolean reportPage(JsonNode results, ChangeRun run, double clockOffsetMillis) {
    List<VisibleChange> changesShown = run.visible();
    double fromMillis = run.fromMillis();
    double toMillis = run.toMillis();
    Samples toDom = new Samples("change to DOM");
    int shown = 0;
    for (VisibleChange c : changesShown) {
      for (JsonNode seen : results.path("seen").path(c.container())) {
        if (seen.get(0).asText().equals(Integer.toString(c.restarts()))) {
          double ms = seen.get(1).asDouble() - clockOffsetMillis - c.writtenEpochNanos() / 1e6;
          toDom.add((long) (ms * 1e6));
          shown++;
          break;
        }
      }
    }
    long frames = 0;
    for (JsonNode f : results.path("frames")) {
      double at = f.asDouble() - clockOffsetMillis;
      if (at >= fromMillis && at <= toMillis) {
        frames++;
      }
    }
    int longTasks = 0;
    double longTaskMillis = 0;
    for (JsonNode t : results.path("longTasks")) {
      double at = t.get(0).asDouble() - clockOffsetMillis;
      if (at >= fromMillis && at <= toMillis) {
        longTasks++;
        longTaskMillis += t.get(1).asDouble();
      }
    }
    int applied = results.path("applied").asInt();
    double seconds = (toMillis - fromMillis) / 1000;
    boolean keptUp =
        shown == changesShown.size()
            && shown > 0
            && toDom.percentileMillis(99) < TARGET_P99_MILLIS
            && applied >= changes;
    System.out.printf(
        "browser: %d of %d changes to rows in view reached the DOM: change to DOM %.1f ms median,"
            + " %.1f ms p99 (target p99 < %.0f ms); while %d changes ran at %.0f/s: %.0f frames/s,"
            + " %d long tasks (%.0f ms), the page applied %d of %d changes: %s%n",
        shown,
        changesShown.size(),
        shown > 0 ? toDom.medianMillis() : Double.NaN,
        shown > 0 ? toDom.percentileMillis(99) : Double.NaN,
        TARGET_P99_MILLIS,
        changes,
        changes / seconds,
        frames / seconds,
        longTasks,
        longTaskMillis,
        applied,
        changes,
        keptUp ? "kept up" : "FELL BEHIND");
    return keptUp;
  }

  /** A container report whose message carries when it was written (epoch nanos). */
  private ContainerReport report(int i, int change, ContainerState state) {
    return report(i, change, state, epochNanos());
  }

  private ContainerReport report(int i, int change, ContainerState state, long atEpochNanos) {
    return new ContainerReport(
        name(i),
        "bench",
        1,
        state,
        state == ContainerState.STOPPED ? 0 : null,
        change,
        change == 0 ? null : "t=" + atEpochNanos,
        String.format("node-%05d", i % nodes),
        null,
        List.of());
  }

  static long epochNanos() {
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
