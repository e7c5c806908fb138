package dev.berth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import dev.berth.controlplane.auth.ApiAccess;
import dev.berth.embedded.EmbeddedHazelcast;
import dev.berth.embedded.EmbeddedKafkaBroker;
import dev.berth.model.fleet.FleetMaps;
import dev.berth.model.fleet.SchedulingStatus;
import dev.berth.model.fleet.SpecLimits;
import dev.berth.testing.Await;
import dev.berth.testing.SimulatedNodes;
import dev.berth.testing.StrictVertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attack that wedged the fleet, made against a real control plane: a spec with a billion
 * replicas is refused, one with 100,000 (allowed by a raised limit) on a one-node fleet is reported
 * unschedulable while the API keeps answering within 100 ms, and the fleet-wide cap holds.
 */
class HostileWorkloadsTest {
  private HttpClient http;
  private ApiAccess access;

  private HttpResponse<String> post(String api, String type, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(api + "/v1/workloads"))
            .header("Content-Type", type)
            .header("Authorization", "Bearer " + access.bootstrapToken())
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void hugeSpecsAreRefusedOrBoundedAndTheApiKeepsAnswering(@TempDir Path data) throws Exception {
    HazelcastInstance hz =
        EmbeddedHazelcast.start("berth-hostile-" + ProcessHandle.current().pid());
    StrictVertx strict = new StrictVertx(500);
    ControlPlane cp = null;
    access = TestCredentials.in(data.resolve("pki"));
    http = TestCredentials.http(access);
    try (EmbeddedKafkaBroker broker = TestCredentials.broker(data.resolve("kafka"), access)) {
      new SimulatedNodes(hz, System::currentTimeMillis)
          .renew("only", 4000, 8L << 30, Map.of(), 600_000);
      cp =
          ControlPlane.start(
                  strict.vertx(),
                  new ControlPlaneConfig(
                          broker.bootstrapServers(),
                          0,
                          "cp",
                          3000,
                          200,
                          ControlPlaneConfig.DEFAULT_CLUSTER_CIDR,
                          access)
                      .withSpecLimits(SpecLimits.DEFAULT.withReplicas(100_000, 100_001)),
                  hz)
              .toCompletionStage()
              .toCompletableFuture()
              .get(60, TimeUnit.SECONDS);
      String api = "https://127.0.0.1:" + cp.apiPort();

      var billion =
          post(api, "application/yaml", "name: huge\nimage: busybox\nreplicas: 1000000000\n");
      assertEquals(400, billion.statusCode(), billion.body());
      assertTrue(billion.body().contains("replicas"), billion.body());
      assertEquals(
          415, post(api, "text/plain", "{\"name\":\"t\",\"image\":\"busybox\"}").statusCode());

      var many =
          post(
              api,
              "application/yaml",
              "name: many\nimage: busybox\nreplicas: 100000\n"
                  + "resources: {requests: {cpu: 100m, memory: 1Mi}}\n");
      assertEquals(201, many.statusCode(), many.body());
      var overCap = post(api, "application/yaml", "name: more\nimage: busybox\nreplicas: 2\n");
      assertEquals(400, overCap.statusCode());
      assertTrue(overCap.body().contains("more than its cap of 100001"), overCap.body());

      // While the scheduler places what fits and reports the rest, the API answers in time.
      long worst = 0;
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
      while (System.nanoTime() < until) {
        long t0 = System.nanoTime();
        var got =
            http.send(
                HttpRequest.newBuilder(URI.create(api + "/v1/workloads/many"))
                    .header("Authorization", "Bearer " + access.bootstrapToken())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        long took = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(200, got.statusCode());
        worst = Math.max(worst, took);
        TimeUnit.MILLISECONDS.sleep(20);
      }
      assertTrue(worst < 100, "the API took " + worst + " ms at worst");
      var statuses = hz.<String, SchedulingStatus>getMap(FleetMaps.SCHEDULING);
      Await.until(
          () -> statuses.get("many") != null && statuses.get("many").unschedulable() > 0,
          "the workload reported unschedulable",
          30_000);
      SchedulingStatus s = statuses.get("many");
      assertEquals(100_000, s.placed() + s.unschedulable());
      assertEquals(40, s.placed(), "as many as fit 4000m at 100m each: " + s);
      assertTrue(s.reason().contains("too little CPU or memory"), s.reason());
      strict.assertNeverBlocked();
    } finally {
      if (cp != null) {
        cp.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      strict.close();
      hz.shutdown();
    }
  }
}
