package dev.berth.cli.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.berth.agent.AgentLayout;
import dev.berth.agent.images.build.BuildOptions;
import dev.berth.agent.images.build.ImageBuilder;
import dev.berth.agent.network.NetworkSettings;
import dev.berth.agent.node.AgentConfig;
import dev.berth.agent.node.AgentNode;
import dev.berth.agent.node.tls.NodeTls;
import dev.berth.agent.reconcile.Reconciler;
import dev.berth.controlplane.ControlPlane;
import dev.berth.controlplane.ControlPlaneConfig;
import dev.berth.controlplane.auth.ApiAccess;
import dev.berth.controlplane.kafka.NodeKafkaGrants;
import dev.berth.controlplane.pki.ApiCredentials;
import dev.berth.controlplane.pki.NodeCertificates;
import dev.berth.embedded.EmbeddedHazelcast;
import dev.berth.embedded.EmbeddedKafkaBroker;
import dev.berth.model.JsonMapping;
import dev.berth.model.fleet.AssignmentTopic;
import dev.berth.model.fleet.ContainerReport;
import dev.berth.model.fleet.ContainerState;
import dev.berth.model.fleet.FleetEvent;
import dev.berth.model.fleet.FleetMaps;
import dev.berth.model.fleet.KafkaAccess;
import dev.berth.model.fleet.KafkaClientConfig;
import dev.berth.model.fleet.NodeRecord;
import dev.berth.model.image.ImageReference;
import dev.berth.model.pki.CertificateAuthority;
import dev.berth.model.pki.FleetIdentities;
import dev.berth.model.pki.TrustedCa;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.bundle.BusyboxRootfs;
import dev.berth.runtime.files.FileTrees;
import dev.berth.testing.Await;
import dev.berth.testing.FleetEventsReader;
import dev.berth.testing.StrictVertx;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * A workload applied through the control plane's API is scheduled through Kafka onto a real agent
 * (Vert.x verticles), runs as real containers, shows up in Hazelcast and on berth.events, answers
 * logs and exec through the control plane, and goes away when deleted; no event loop blocks
 * meanwhile.
 */
class AgentEndToEndTest {
  private static String token;

  /** A request with the admin token when it goes to the control plane's API. */
  private static HttpRequest.Builder request(String url) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    return url.startsWith("https:") ? b.header("Authorization", "Bearer " + token) : b;
  }

  private static void await(BooleanSupplier condition, String what) throws Exception {
    Await.until(condition, what, 30000);
  }

  @Test
  void anAppliedWorkloadRunsOnTheAgentServesLogsAndExecAndIsRemovedWhenDeleted() throws Exception {
    Path work = Files.createTempDirectory("berth-e2e-");
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
    HazelcastInstance hz = EmbeddedHazelcast.start("berth-e2e-" + ProcessHandle.current().pid());
    StrictVertx strict = new StrictVertx(500);
    Vertx vertx = strict.vertx();
    AgentNode agent = null;
    ControlPlane cp = null;
    ApiAccess access = ApiCredentials.ensure(work.resolve("pki"), List.of());
    token = access.bootstrapToken();
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .sslContext(TrustedCa.sslContext(access.caCert()))
            .build();
    try (EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.start(
            work.resolve("kafka"), 0, CertificateAuthority.openOrCreate(access.dir()))) {
      KafkaAccess kafka = access.kafka(broker.bootstrapServers());
      cp =
          get(
              ControlPlane.start(
                  vertx,
                  new ControlPlaneConfig(
                      broker.bootstrapServers(),
                      0,
                      "cp-test",
                      3000,
                      500,
                      ControlPlaneConfig.DEFAULT_CLUSTER_CIDR,
                      access),
                  hz));
      AgentConfig config =
          new AgentConfig(
              "node-a",
              work.resolve("agent"),
              broker.bootstrapServers(),
              4000,
              8L << 30,
              Map.of("zone", "a"),
              3000,
              500,
              0,
              AgentConfig.DEFAULT_LOG_MAX_BYTES,
              Map.of(),
              NetworkSettings.in(
                  work.resolve("net.d"), "be2e" + ProcessHandle.current().pid() % 100_000),
              NodeTls.in(work.resolve("agent/pki")));
      new NodeCertificates(CertificateAuthority.openOrCreate(access.dir()))
          .issueLocally(
              "node-a", List.of(), config.tls().cert(), config.tls().key(), config.tls().ca());
      new NodeKafkaGrants(kafka).grant("node-a"); // as its join would
      agent = get(AgentNode.start(vertx, config, hz));
      new ImageBuilder(agent.images())
          .build(
              BusyboxRootfs.create(work.resolve("rootfs")),
              BuildOptions.of(List.of("sleep", "60")),
              ImageReference.parse("local/busybox:1"));
      String api = "https://127.0.0.1:" + cp.apiPort();

      HttpResponse<String> applied =
          http.send(
              request(api + "/v1/workloads")
                  .header("Content-Type", "application/yaml")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          """
              name: web
              image: local/busybox:1
              replicas: 2
              command: ["sh", "-c", "echo hello-stdout; echo hello-stderr >&2; exec sleep 60"]
              """))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(201, applied.statusCode(), applied.body());
      ContainerRuntime runtime = new ContainerRuntime(work.resolve("agent/runtime"));
      await(
          () -> runtime.list().stream().filter(s -> s.status().equals("running")).count() == 2,
          "two running containers");
      IMap<String, ContainerReport> containers = hz.getMap(FleetMaps.CONTAINERS);
      await(
          () ->
              containers.values().stream().filter(r -> r.state() == ContainerState.RUNNING).count()
                  == 2,
          "both reported running in Hazelcast");
      String id = containers.keySet().stream().sorted().findFirst().orElseThrow();
      NodeRecord node = hz.<String, NodeRecord>getMap(FleetMaps.NODES).get("node-a");
      assertEquals(4000, node.cpuMillis());
      assertEquals(3900, node.allocatableCpuMillis(), "the node keeps 100m for itself");
      assertEquals((8L << 30) - (256L << 20), node.allocatableMemoryBytes(), "and 256Mi");
      assertEquals(agent.apiAddress(), node.apiAddress());

      await(
          () -> body(http, api + "/v1/containers/" + id + "/logs").contains("hello-stderr"),
          "the logs");
      String logs = body(http, api + "/v1/containers/" + id + "/logs");
      assertTrue(logs.contains("hello-stdout\n") && logs.contains("hello-stderr\n"), logs);
      assertEquals(
          "hello-stderr\n",
          body(http, api + "/v1/containers/" + id + "/logs?stream=stderr&tail=1"));

      HttpResponse<String> exec =
          http.send(
              request(api + "/v1/containers/" + id + "/exec")
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"command\":[\"sh\",\"-c\",\"echo $((6*7)); echo $HOSTNAME >&2; exit 3\"]}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, exec.statusCode(), exec.body());
      JsonNode result = JsonMapping.mapper().readTree(exec.body());
      assertEquals(3, result.get("exitCode").asInt(), exec.body());
      assertEquals("42\n", result.get("stdout").asText());
      assertEquals(
          id + "\n", result.get("stderr").asText(), "exec runs in the container's UTS namespace");

      assertFollowedLogShowsNewLines(http, api, id);
      // a record the node cannot read is skipped and reported on the fleet's events by the node
      try (KafkaProducer<String, byte[]> forger =
          new KafkaProducer<>(KafkaClientConfig.durableProducer(kafka, 0))) {
        forger
            .send(
                new ProducerRecord<>(
                    AssignmentTopic.topicOf("node-a"),
                    0,
                    "node-a/garbage-g1-r0",
                    "{not json".getBytes()))
            .get();
      }
      await(
          () ->
              events(kafka).stream()
                  .anyMatch(
                      e ->
                          e.kind().equals("unreadable-record")
                              && e.node().equals("node-a")
                              && e.message().contains("garbage")),
          "the node's report of the record it skipped");
      assertExecIsBounded(http, api, id);

      assertNodeApiAnswersOnlyTheControlPlane(work, access, agent.apiAddress(), id);
      String metrics =
          body(
              ClientCertificates.client(access.dir(), FleetIdentities.MONITORING, work),
              "https://" + agent.apiAddress() + "/metrics");
      assertTrue(metrics.contains("berth_agent_reconcile_seconds_count"), metrics);
      assertTrue(metrics.contains("berth_agent_containers_desired 2.0"), metrics);
      assertTrue(metrics.contains("berth_agent_containers{state=\"running\"} 2.0"), metrics);
      assertTrue(metrics.contains("berth_agent_reconcile_queue_depth"), metrics);
      assertTrue(metrics.contains("berth_agent_image_pull_bytes_total"), metrics);
      assertTrue(
          metrics.matches("(?s).*berth_agent_event_loop_lag_seconds_count [1-9].*"), metrics);

      assertEquals(
          200,
          http.send(
                  request(api + "/v1/workloads/web").DELETE().build(),
                  HttpResponse.BodyHandlers.ofString())
              .statusCode());
      await(() -> runtime.list().isEmpty(), "the containers to go");
      await(() -> containers.isEmpty(), "the reports to leave the fleet view");
      await(
          () -> events(kafka).stream().filter(e -> e.state().equals("removed")).count() == 2,
          "removal events");
      List<FleetEvent> events = events(kafka);
      assertEquals(
          2,
          events.stream()
              .filter(e -> e.state().equals("running") && e.node().equals("node-a"))
              .count(),
          events.toString());
      List<FleetEvent> audited = events.stream().filter(e -> e.kind().equals("audit")).toList();
      assertTrue(
          audited.stream()
              .anyMatch(
                  e ->
                      e.state().equals("exec")
                          && "admin".equals(e.actor())
                          && e.containerId().equals(id)
                          && e.node().equals("node-a")
                          && String.valueOf(e.message()).contains("echo $((6*7))")),
          "the exec is audited with who asked: " + audited);
      assertTrue(
          audited.stream()
              .anyMatch(
                  e ->
                      e.state().equals("logs")
                          && "admin".equals(e.actor())
                          && String.valueOf(e.message()).contains("stream=stderr")),
          "and the logs: " + audited);
      assertEquals(
          404,
          http.send(
                  request(api + "/v1/containers/" + id + "/logs").build(),
                  HttpResponse.BodyHandlers.ofString())
              .statusCode(),
          "a removed container has no logs");
      strict.assertNeverBlocked();
    } finally {
      if (agent != null) {
        Reconciler r = agent.reconciler();
        get(agent.stop());
        r.reconcile(List.of());
        r.releaseCgroupParent();
        if (agent.podNetwork() != null) {
          agent.podNetwork().tearDown(new AgentLayout(work.resolve("agent"), "node-a"));
        }
      }
      if (cp != null) {
        get(cp.stop());
      }
      strict.close();
      hz.shutdown();
      FileTrees.delete(work);
    }
  }

  /**
   * The node API takes only the fleet's control planes: no client certificate, no handshake; a
   * certificate of the same CA for anything but a control plane (here a monitor's), 403 for logs
   * and exec.
   */
  private static void assertNodeApiAnswersOnlyTheControlPlane(
      Path work, ApiAccess access, String nodeApi, String id) throws Exception {
    HttpRequest logs =
        HttpRequest.newBuilder(URI.create("https://" + nodeApi + "/v1/containers/" + id + "/logs"))
            .build();
    assertThrows(
        java.io.IOException.class,
        () ->
            ClientCertificates.anonymous(access.dir())
                .send(logs, HttpResponse.BodyHandlers.ofString()),
        "no client certificate: no answer");
    HttpClient nodeLike = ClientCertificates.client(access.dir(), FleetIdentities.NODES, work);
    HttpResponse<String> refused = nodeLike.send(logs, HttpResponse.BodyHandlers.ofString());
    assertEquals(403, refused.statusCode(), refused.body());
    HttpResponse<String> exec =
        nodeLike.send(
            HttpRequest.newBuilder(
                    URI.create("https://" + nodeApi + "/v1/containers/" + id + "/exec"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"command\":[\"id\"]}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(403, exec.statusCode(), "another node cannot exec: " + exec.body());
    assertEquals(
        403,
        ClientCertificates.client(access.dir(), FleetIdentities.MONITORING, work)
            .send(logs, HttpResponse.BodyHandlers.ofString())
            .statusCode(),
        "a monitor may scrape metrics, not read logs");
  }

  private static HttpRequest exec(String api, String id, String json) {
    return request(api + "/v1/containers/" + id + "/exec")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }

  /**
   * An exec may not run for ever, nor fill the host's disk with its output, nor hold up logs: its
   * timeout is bounded, its output is cut at 1 MiB (and the command killed), and long execs have
   * threads of their own, with too many refused.
   */
  private static void assertExecIsBounded(HttpClient http, String api, String id) throws Exception {
    HttpResponse<String> forever =
        http.send(
            exec(api, id, "{\"command\":[\"true\"],\"timeoutSeconds\":100000}"),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(400, forever.statusCode(), forever.body());
    assertTrue(forever.body().contains("timeoutSeconds"), forever.body());

    long t0 = System.nanoTime();
    HttpResponse<String> endless =
        http.send(exec(api, id, "{\"command\":[\"yes\"]}"), HttpResponse.BodyHandlers.ofString());
    long took = (System.nanoTime() - t0) / 1_000_000;
    JsonNode cut = JsonMapping.mapper().readTree(endless.body());
    assertEquals(200, endless.statusCode(), endless.body().substring(0, 200));
    assertTrue(cut.get("truncated").asBoolean());
    assertEquals(1 << 20, cut.get("stdout").asText().length());
    assertTrue(took < 10_000, "cut and killed in " + took + " ms");
    try (var tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      assertTrue(
          tmp.noneMatch(p -> p.getFileName().toString().startsWith("berth-exec-")),
          "nothing spooled or left in the host's temp directory");
    }

    List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      slow.add(
          http.sendAsync(
              exec(api, id, "{\"command\":[\"sleep\",\"3\"]}"),
              HttpResponse.BodyHandlers.ofString()));
    }
    TimeUnit.MILLISECONDS.sleep(500);
    long l0 = System.nanoTime();
    HttpResponse<String> logs =
        http.send(
            request(api + "/v1/containers/" + id + "/logs?tail=1").build(),
            HttpResponse.BodyHandlers.ofString());
    long logsTook = (System.nanoTime() - l0) / 1_000_000;
    assertEquals(200, logs.statusCode());
    assertTrue(logsTook < 1000, "logs answered in " + logsTook + " ms while execs ran");
    List<Integer> codes = new ArrayList<>();
    for (var f : slow) {
      codes.add(f.get(30, TimeUnit.SECONDS).statusCode());
    }
    assertTrue(codes.contains(429) && codes.contains(200), "some refused, some run: " + codes);
  }

  /** A followed log stays open and delivers what the container writes afterwards. */
  private static void assertFollowedLogShowsNewLines(HttpClient http, String api, String id)
      throws Exception {
    HttpResponse<InputStream> followed =
        http.send(
            request(api + "/v1/containers/" + id + "/logs?stream=stdout&follow=true").build(),
            HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = followed.body()) {
      // Appends as the container's own output does (O_APPEND), through PID 1's stdout.
      http.send(
          request(api + "/v1/containers/" + id + "/exec")
              .header("Content-Type", "application/json")
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      "{\"command\":[\"sh\",\"-c\",\"echo followed-line >> /proc/1/fd/1\"]}"))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      StringBuilder seen = new StringBuilder();
      long deadline = System.currentTimeMillis() + 10_000;
      byte[] buf = new byte[4096];
      while (!seen.toString().contains("followed-line") && System.currentTimeMillis() < deadline) {
        int n = in.read(buf);
        if (n < 0) {
          break;
        }
        seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
      }
      assertTrue(seen.toString().startsWith("hello-stdout\n"), seen.toString());
      assertTrue(seen.toString().contains("followed-line"), seen.toString());
    }
  }

  private static String body(HttpClient http, String url) {
    try {
      return http.send(request(url).build(), HttpResponse.BodyHandlers.ofString()).body();
    } catch (Exception e) {
      throw new AssertionError(url + ": " + e, e);
    }
  }

  private static List<FleetEvent> events(KafkaAccess kafka) {
    return FleetEventsReader.readAll(kafka);
  }

  private static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
