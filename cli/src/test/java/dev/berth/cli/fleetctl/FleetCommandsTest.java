package dev.berth.cli.fleetctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.cli.BerthCli;
import dev.berth.controlplane.api.FleetApiVerticle;
import dev.berth.controlplane.specs.WorkloadStore;
import dev.berth.embedded.EmbeddedKafkaBroker;
import dev.berth.testing.InProcessCli;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** berth apply, get and delete against the real workload API over a real Kafka broker. */
class FleetCommandsTest {
  @Test
  void applyGetAndDeleteAsKubectlUsersExpect(@TempDir Path dir) throws Exception {
    Vertx vertx = Vertx.vertx();
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0);
        WorkloadStore store = WorkloadStore.open(broker.bootstrapServers())) {
      FleetApiVerticle api = new FleetApiVerticle(store, 0);
      vertx.deployVerticle(api).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      String server = "http://127.0.0.1:" + api.actualPort();
      Path specs = Files.createDirectories(dir.resolve("specs"));
      Files.writeString(specs.resolve("a.yaml"), "name: alpha\nimage: busybox\nreplicas: 2\n");
      Files.writeString(specs.resolve("b.json"), "{\"name\":\"beta\",\"image\":\"busybox\"}");

      InProcessCli.Output applied =
          BerthCli.run("apply", "-f", specs.toString(), "--server", server);
      assertEquals(0, applied.exit(), applied.err());
      assertEquals("workload/alpha created\nworkload/beta created\n", applied.out());
      assertEquals(
          "workload/alpha unchanged\n",
          BerthCli.run("apply", "-f", specs.resolve("a.yaml").toString(), "--server", server)
              .out());

      InProcessCli.Output table = BerthCli.run("get", "workloads", "--server", server);
      assertTrue(table.out().startsWith("NAME"), table.out());
      assertTrue(
          table.out().lines().anyMatch(l -> l.startsWith("alpha") && l.contains(" 2 ")),
          table.out());
      assertTrue(
          BerthCli.run("get", "workloads", "beta", "-o", "yaml", "--server", server)
              .out()
              .contains("name: \"beta\""));

      Files.writeString(specs.resolve("c.yaml"), "name: gamma\nimage: busybox\nreplicas: -3\n");
      InProcessCli.Output bad =
          BerthCli.run("apply", "-f", specs.resolve("c.yaml").toString(), "--server", server);
      assertEquals(1, bad.exit());
      assertTrue(bad.err().contains("replicas: must not be negative"), bad.err());

      assertEquals(0, BerthCli.run("delete", "workload", "alpha", "--server", server).exit());
      InProcessCli.Output gone = BerthCli.run("get", "workloads", "alpha", "--server", server);
      assertEquals(1, gone.exit());
      assertTrue(gone.err().contains("no workload named \"alpha\""), gone.err());

      InProcessCli.Output down = BerthCli.run("get", "workloads", "--server", "http://127.0.0.1:1");
      assertEquals(1, down.exit());
      assertTrue(down.err().contains("is `berth up` running?"), down.err());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
