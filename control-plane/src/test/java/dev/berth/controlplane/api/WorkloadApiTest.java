package dev.berth.controlplane.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.controlplane.TestCredentials;
import dev.berth.controlplane.auth.ApiAccess;
import dev.berth.controlplane.auth.ApiGuard;
import dev.berth.controlplane.auth.Role;
import dev.berth.controlplane.auth.TokenStore;
import dev.berth.controlplane.specs.WorkloadStore;
import dev.berth.embedded.EmbeddedKafkaBroker;
import dev.berth.model.JsonMapping;
import dev.berth.testing.StrictVertx;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The workload API over a real Kafka broker: applies are durable, idempotent, validated, and
 * survive a restart.
 */
class WorkloadApiTest {
  static Path data;
  static EmbeddedKafkaBroker broker;
  static StrictVertx strict;
  static Vertx vertx;
  static ApiAccess access;
  static TokenStore tokens;

  @BeforeAll
  static void start() throws Exception {
    data = Files.createTempDirectory("berth-api-kafka-");
    strict =
        new StrictVertx(
            500); // an event loop busy for more than 500 ms (Vert.x warns at 2 s) fails the class
    vertx = strict.vertx();
    access = TestCredentials.in(data.resolve("pki"));
    broker = TestCredentials.broker(data.resolve("kafka"), access);
    tokens = TokenStore.open(TestCredentials.kafka(access, broker));
    tokens.ensure(TokenStore.BOOTSTRAP_NAME, Role.ADMIN, access.bootstrapToken());
  }

  @AfterAll
  static void stop() throws Exception {
    strict.close();
    tokens.close();
    broker.close();
    try (var walk = Files.walk(data)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    strict.assertNeverBlocked();
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private record Api(WebClient client, int port, WorkloadStore store, String verticle) {}

  private static Api api() throws Exception {
    WorkloadStore store =
        await(
            vertx.executeBlocking(() -> WorkloadStore.open(TestCredentials.kafka(access, broker))));
    FleetApiVerticle v =
        new FleetApiVerticle(store, new ApiGuard(tokens, null, access, line -> {}), 0);
    String id = await(vertx.deployVerticle(v));
    return new Api(TestCredentials.web(vertx, access), v.actualPort(), store, id);
  }

  private static void close(Api api) throws Exception {
    await(vertx.undeploy(api.verticle()));
    api.store().close();
  }

  private static HttpResponse<Buffer> send(
      Api api, String method, String path, String type, String body) throws Exception {
    var request =
        api.client()
            .request(HttpMethod.valueOf(method), api.port(), "127.0.0.1", path)
            .bearerTokenAuthentication(access.bootstrapToken());
    if (type != null) {
      request.putHeader("Content-Type", type);
    }
    return await(body == null ? request.send() : request.sendBuffer(Buffer.buffer(body)));
  }

  private static JsonNode json(HttpResponse<Buffer> r) throws Exception {
    return JsonMapping.mapper().readTree(r.bodyAsString());
  }

  @Test
  void applyingTheSameSpecTwiceChangesNothingAndAChangeBumpsTheGeneration() throws Exception {
    Api api = api();
    try {
      String spec = "{\"name\":\"web\",\"image\":\"busybox\",\"replicas\":3}";
      HttpResponse<Buffer> created = send(api, "POST", "/v1/workloads", "application/json", spec);
      assertEquals(201, created.statusCode(), created.bodyAsString());
      assertEquals(1, json(created).get("generation").asLong());
      HttpResponse<Buffer> again = send(api, "PUT", "/v1/workloads", "application/json", spec);
      assertEquals(200, again.statusCode());
      assertEquals("unchanged", json(again).get("outcome").asText());
      assertEquals(1, json(again).get("generation").asLong());
      HttpResponse<Buffer> changed =
          send(
              api,
              "PUT",
              "/v1/workloads",
              "application/yaml",
              "name: web\nimage: busybox\nreplicas: 5\n");
      assertEquals("updated", json(changed).get("outcome").asText());
      assertEquals(2, json(changed).get("generation").asLong());
      HttpResponse<Buffer> got =
          await(
              api.client()
                  .get(api.port(), "127.0.0.1", "/v1/workloads/web")
                  .bearerTokenAuthentication(access.bootstrapToken())
                  .putHeader("Accept", "application/yaml")
                  .send());
      assertTrue(got.bodyAsString().contains("replicas: 5"), got.bodyAsString());
    } finally {
      close(api);
    }
  }

  @Test
  void badSpecsGetA400NamingTheProblemAndChangeNothing() throws Exception {
    Api api = api();
    try {
      send(
          api,
          "POST",
          "/v1/workloads",
          "application/json",
          "{\"name\":\"keep\",\"image\":\"busybox\"}");
      String before = send(api, "GET", "/v1/workloads", null, null).bodyAsString();
      String[][] cases = {
        {"{\"name\":\"keep\",\"image\":\"busybox\",\"replicas\":\"many\"}", "replicas:"},
        {
          "{\"name\":\"keep\",\"image\":\"busybox\",\"replicas\":-1}",
          "replicas: must not be negative"
        },
        {"{\"name\":\"keep\",\"image\":\"Bad/Image\"}", "image: invalid image reference"},
        {"{\"name\":\"keep\",\"image\":\"busybox\",\"volumes\":[]}", "volumes: unknown field"},
      };
      for (String[] c : cases) {
        HttpResponse<Buffer> r = send(api, "POST", "/v1/workloads", "application/json", c[0]);
        assertEquals(400, r.statusCode(), c[0]);
        assertTrue(r.bodyAsString().contains(c[1]), r.bodyAsString());
      }
      HttpResponse<Buffer> huge =
          send(
              api,
              "POST",
              "/v1/workloads",
              "application/json",
              "{\"name\":\"keep\",\"image\":\"busybox\",\"env\":{\"X\":\""
                  + "x".repeat(10 << 20)
                  + "\"}}");
      assertEquals(400, huge.statusCode());
      assertTrue(huge.bodyAsString().contains("request body larger than"), huge.bodyAsString());
      assertEquals(
          before, send(api, "GET", "/v1/workloads", null, null).bodyAsString(), "nothing changed");
    } finally {
      close(api);
    }
  }

  @Test
  void aRestartedControlPlaneRebuildsEveryAppliedSpecFromKafka() throws Exception {
    Api first = api();
    send(
        first,
        "POST",
        "/v1/workloads",
        "application/json",
        "{\"name\":\"durable\",\"image\":\"busybox\"}");
    send(
        first,
        "POST",
        "/v1/workloads",
        "application/json",
        "{\"name\":\"gone\",\"image\":\"busybox\"}");
    assertEquals(200, send(first, "DELETE", "/v1/workloads/gone", null, null).statusCode());
    close(first);
    Api second = api();
    try {
      assertEquals(200, send(second, "GET", "/v1/workloads/durable", null, null).statusCode());
      assertEquals(
          404,
          send(second, "GET", "/v1/workloads/gone", null, null).statusCode(),
          "the tombstone holds");
    } finally {
      close(second);
    }
  }

  @Test
  void aStandbyControlPlaneSeesWhatAnotherOneApplied() throws Exception {
    Api one = api();
    Api other = api();
    try {
      send(
          one,
          "POST",
          "/v1/workloads",
          "application/json",
          "{\"name\":\"shared\",\"image\":\"busybox\"}");
      long deadline = System.currentTimeMillis() + 10_000;
      int status = 404;
      while (status != 200 && System.currentTimeMillis() < deadline) {
        status = send(other, "GET", "/v1/workloads/shared", null, null).statusCode();
        Thread.sleep(20);
      }
      assertEquals(200, status, "the other control plane follows berth.workloads");
      HttpResponse<Buffer> again =
          send(
              other,
              "PUT",
              "/v1/workloads",
              "application/json",
              "{\"name\":\"shared\",\"image\":\"busybox\"}");
      assertEquals(
          "unchanged",
          json(again).get("outcome").asText(),
          "the same spec through the other is no change");
    } finally {
      close(one);
      close(other);
    }
  }
}
