package dev.berth.cli.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.hazelcast.core.HazelcastInstance;
import dev.berth.cli.BerthCli;
import dev.berth.cli.fleetctl.ClientConfig;
import dev.berth.controlplane.ControlPlane;
import dev.berth.controlplane.ControlPlaneConfig;
import dev.berth.controlplane.auth.ApiAccess;
import dev.berth.controlplane.auth.Role;
import dev.berth.controlplane.pki.ApiCredentials;
import dev.berth.dashboard.Dashboard;
import dev.berth.embedded.EmbeddedHazelcast;
import dev.berth.embedded.EmbeddedKafkaBroker;
import dev.berth.model.JsonMapping;
import dev.berth.model.fleet.KafkaClientConfig;
import dev.berth.model.pki.CertificateAuthority;
import dev.berth.model.pki.TrustedCa;
import dev.berth.runtime.files.FileTrees;
import dev.berth.testing.Await;
import dev.berth.testing.SimulatedNodes;
import dev.berth.testing.StrictVertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The watch stream (/v1/watch) as any client sees it, against a control plane with the dashboard
 * and simulated nodes: who may watch, a snapshot and then every change in order, lease renewals
 * kept out and a lost node let in, one Kafka consumer however many watch.
 */
class WatchStreamTest {
  private static Path work;
  private static HazelcastInstance hz;
  private static StrictVertx strict;
  private static EmbeddedKafkaBroker broker;
  private static ControlPlane cp;
  private static ApiAccess access;
  private static HttpClient http;
  private static String api;
  private static SimulatedNodes nodes;

  @BeforeAll
  static void controlPlane() throws Exception {
    work = Files.createTempDirectory("berth-watch-");
    hz = EmbeddedHazelcast.start("berth-watch-" + ProcessHandle.current().pid());
    strict = new StrictVertx(500);
    access = ApiCredentials.ensure(work.resolve("pki"), List.of());
    broker =
        EmbeddedKafkaBroker.start(
            work.resolve("kafka"), 0, CertificateAuthority.openOrCreate(access.dir()));
    nodes = new SimulatedNodes(hz, System::currentTimeMillis);
    nodes.renew("steady", 4000, 8L << 30, Map.of(), 600_000);
    ControlPlaneConfig config =
        new ControlPlaneConfig(
            broker.bootstrapServers(),
            0,
            "cp-watch",
            3000,
            200,
            ControlPlaneConfig.DEFAULT_CLUSTER_CIDR,
            access);
    cp =
        ControlPlane.start(strict.vertx(), config, hz, List.of(new Dashboard(config.kafka())))
            .toCompletionStage()
            .toCompletableFuture()
            .get(90, TimeUnit.SECONDS);
    api = "https://127.0.0.1:" + cp.apiPort();
    http = HttpClient.newBuilder().sslContext(TrustedCa.sslContext(access.caCert())).build();
  }

  @AfterAll
  static void stop() throws Exception {
    if (cp != null) {
      cp.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    strict.close();
    broker.close();
    hz.shutdown();
    FileTrees.delete(work);
  }

  /** A watcher: every message it got, and how its socket closed. */
  static final class Watcher implements WebSocket.Listener {
    final List<JsonNode> messages = new CopyOnWriteArrayList<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder text = new StringBuilder();
    WebSocket socket;

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        try {
          messages.add(JsonMapping.mapper().readTree(text.toString()));
        } catch (Exception e) {
          closed.completeExceptionally(e);
        }
        text.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
      closed.complete(code);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable e) {
      closed.completeExceptionally(e);
    }

    List<JsonNode> of(String type) {
      return messages.stream().filter(m -> m.path("type").asText().equals(type)).toList();
    }
  }

  private static Watcher watch(String header) throws Exception {
    Watcher w = new Watcher();
    WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
    if (header != null) {
      b.header("Authorization", header);
    }
    w.socket = b.buildAsync(URI.create(api.replace("https", "wss") + "/v1/watch"), w).get();
    return w;
  }

  private static HttpResponse<String> apply(String yaml) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(api + "/v1/workloads"))
            .header("Authorization", "Bearer " + access.bootstrapToken())
            .header("Content-Type", "application/yaml")
            .PUT(HttpRequest.BodyPublishers.ofString(yaml))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void onlyAValidTokenMayWatch() throws Exception {
    HttpResponse<String> bad =
        http.send(
            HttpRequest.newBuilder(URI.create(api + "/v1/watch"))
                .header("Authorization", "Bearer berth_not-a-token")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(401, bad.statusCode(), bad.body());

    Watcher wrong = watch(null);
    wrong.socket.sendText("{\"token\":\"berth_not-a-token\"}", true);
    assertEquals(1008, wrong.closed.get(10, TimeUnit.SECONDS));
    assertTrue(wrong.of("snapshot").isEmpty(), "nothing sent to a stranger");

    Watcher garbage = watch(null);
    garbage.socket.sendText("x".repeat(10_000), true);
    assertEquals(1008, garbage.closed.get(10, TimeUnit.SECONDS));

    Watcher browser = watch(null);
    browser.socket.sendText("{\"token\":\"" + access.bootstrapToken() + "\"}", true);
    Await.until(() -> !browser.of("snapshot").isEmpty(), "a browser's snapshot", 10_000);
    browser.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
  }

  @Test
  void aWatcherGetsASnapshotThenEveryChangeInOrder() throws Exception {
    Watcher w = watch("Bearer " + access.bootstrapToken());
    Await.until(() -> !w.of("snapshot").isEmpty(), "the snapshot", 10_000);
    JsonNode snapshot = w.of("snapshot").get(0);
    assertTrue(snapshot.path("nodes").toString().contains("\"steady\""), snapshot.toString());
    assertEquals(201, apply("name: watched\nimage: busybox\nreplicas: 2\n").statusCode());
    Await.until(
        () -> w.of("workload").stream().anyMatch(m -> m.path("key").asText().equals("watched")),
        "the applied workload",
        10_000);
    Await.until(
        () ->
            w.of("event").stream()
                    .filter(
                        m ->
                            m.path("value").path("state").asText().equals("scheduled")
                                && m.path("value").path("workload").asText().equals("watched"))
                    .count()
                == 2,
        "the scheduler's placements, from Kafka",
        20_000);
    long last = snapshot.path("seq").asLong();
    for (JsonNode m : w.messages) {
      if (m.has("seq") && !m.path("type").asText().equals("snapshot")) {
        assertTrue(m.path("seq").asLong() > last, "in order, after the snapshot: " + m);
        last = m.path("seq").asLong();
      }
    }
    // A watcher that comes later has the events of the last hour in its snapshot.
    Watcher late = watch("Bearer " + access.bootstrapToken());
    Await.until(() -> !late.of("snapshot").isEmpty(), "the late snapshot", 10_000);
    assertTrue(
        late.of("snapshot").get(0).path("events").toString().contains("\"watched\""),
        "the timeline survives a reconnect");
    w.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    late.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
  }

  @Test
  void renewalsAreNotChangesButALostNodeIs() throws Exception {
    nodes.renew("fleeting", 2000, 4L << 30, Map.of(), 1500);
    Watcher w = watch("Bearer " + access.bootstrapToken());
    Await.until(() -> !w.of("snapshot").isEmpty(), "the snapshot", 10_000);
    long until = System.currentTimeMillis() + 1000;
    while (System.currentTimeMillis() < until) {
      nodes.renew("steady", 4000, 8L << 30, Map.of(), 600_000);
      Thread.sleep(50);
    }
    assertTrue(
        w.of("node").stream().noneMatch(m -> m.path("key").asText().equals("steady")),
        "20 renewals, no change: " + w.of("node"));
    Await.until(
        () ->
            w.of("node").stream()
                .anyMatch(
                    m ->
                        m.path("key").asText().equals("fleeting")
                            && !m.path("value").path("alive").asBoolean(true)),
        "fleeting's lease running out, as a change",
        10_000);
    w.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
  }

  @Test
  void berthGetEventsPrintsTheLastHourFromTheStream() throws Exception {
    assertEquals(201, apply("name: printed\nimage: busybox\n").statusCode());
    Path config = work.resolve("client.json");
    new ClientConfig(api, access.caCert(), access.bootstrapToken()).write(config);
    Await.until(
        () -> {
          var out = BerthCli.run("get", "events", "--config", config.toString());
          return out.exit() == 0
              && out.out().contains("scheduled")
              && out.out().contains("printed");
        },
        "the placement in berth get events",
        20_000);
    var refused =
        BerthCli.run("get", "events", "--config", config.toString(), "--token", "berth_nope");
    assertEquals(1, refused.exit(), refused.out());
    assertTrue(refused.err().contains("401"), refused.err());
  }

  @Test
  void aTerminalNeedsAnOperatorsToken() throws Exception {
    HttpResponse<String> bad =
        http.send(
            HttpRequest.newBuilder(URI.create(api + "/v1/containers/any/exec/tty"))
                .header("Authorization", "Bearer berth_not-a-token")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(401, bad.statusCode(), bad.body());
    String viewer = cp.tokens().create("looker", Role.VIEWER);
    Watcher looker = new Watcher();
    looker.socket =
        http.newWebSocketBuilder()
            .buildAsync(
                URI.create(api.replace("https", "wss") + "/v1/containers/any/exec/tty"), looker)
            .get();
    looker.socket.sendText("{\"token\":\"" + viewer + "\",\"command\":[\"/bin/sh\"]}", true);
    assertEquals(1008, looker.closed.get(10, TimeUnit.SECONDS));
    assertTrue(looker.messages.isEmpty(), "a viewer reaches no node");
  }

  @Test
  void oneKafkaConsumerServesEveryWatcher() throws Exception {
    List<Watcher> many = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      many.add(watch("Bearer " + access.bootstrapToken()));
    }
    for (Watcher w : many) {
      Await.until(() -> !w.of("snapshot").isEmpty(), "each snapshot", 10_000);
    }
    try (Admin admin =
        Admin.create(KafkaClientConfig.admin(access.kafka(broker.bootstrapServers())))) {
      long groups =
          admin.listConsumerGroups().all().get(10, TimeUnit.SECONDS).stream()
              .filter(g -> g.groupId().startsWith("berth-dashboard-"))
              .count();
      assertEquals(1, groups, "one events consumer for 20 watchers");
    }
    for (Watcher w : many) {
      w.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
  }
}
