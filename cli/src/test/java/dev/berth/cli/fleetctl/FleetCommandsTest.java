package dev.berth.cli.fleetctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.cli.BerthCli;
import dev.berth.controlplane.api.FleetApiVerticle;
import dev.berth.controlplane.auth.ApiAccess;
import dev.berth.controlplane.auth.ApiGuard;
import dev.berth.controlplane.auth.Role;
import dev.berth.controlplane.auth.TokenStore;
import dev.berth.controlplane.pki.ApiCredentials;
import dev.berth.controlplane.specs.WorkloadStore;
import dev.berth.embedded.EmbeddedKafkaBroker;
import dev.berth.model.pki.CertificateAuthority;
import dev.berth.testing.InProcessCli;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * berth apply, get, delete and token against the real workload API over a real Kafka broker, with
 * the credentials of a client config as `berth up` writes it.
 */
class FleetCommandsTest {
  @Test
  void applyGetAndDeleteAsKubectlUsersExpect(@TempDir Path dir) throws Exception {
    Vertx vertx = Vertx.vertx();
    ApiAccess access = ApiCredentials.ensure(dir.resolve("pki"), List.of());
    try (EmbeddedKafkaBroker broker =
            EmbeddedKafkaBroker.start(
                dir.resolve("kafka"), 0, CertificateAuthority.openOrCreate(access.dir()));
        WorkloadStore store = WorkloadStore.open(access.kafka(broker.bootstrapServers()));
        TokenStore tokens = TokenStore.open(access.kafka(broker.bootstrapServers()))) {
      tokens.ensure(TokenStore.BOOTSTRAP_NAME, Role.ADMIN, access.bootstrapToken());
      FleetApiVerticle api =
          new FleetApiVerticle(store, new ApiGuard(tokens, null, access, line -> {}), 0);
      vertx.deployVerticle(api).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      String config = dir.resolve("client.json").toString();
      new ClientConfig(
              "https://127.0.0.1:" + api.actualPort(), access.caCert(), access.bootstrapToken())
          .write(Path.of(config));
      Path specs = Files.createDirectories(dir.resolve("specs"));
      Files.writeString(specs.resolve("a.yaml"), "name: alpha\nimage: busybox\nreplicas: 2\n");
      Files.writeString(specs.resolve("b.json"), "{\"name\":\"beta\",\"image\":\"busybox\"}");

      InProcessCli.Output applied =
          BerthCli.run("apply", "-f", specs.toString(), "--config", config);
      assertEquals(0, applied.exit(), applied.err());
      assertEquals("workload/alpha created\nworkload/beta created\n", applied.out());
      assertEquals(
          "workload/alpha unchanged\n",
          BerthCli.run("apply", "-f", specs.resolve("a.yaml").toString(), "--config", config)
              .out());

      InProcessCli.Output table = BerthCli.run("get", "workloads", "--config", config);
      assertTrue(table.out().startsWith("NAME"), table.out());
      assertTrue(
          table.out().lines().anyMatch(l -> l.startsWith("alpha") && l.contains(" 2 ")),
          table.out());
      assertTrue(
          BerthCli.run("get", "workloads", "beta", "-o", "yaml", "--config", config)
              .out()
              .contains("name: \"beta\""));

      Files.writeString(specs.resolve("c.yaml"), "name: gamma\nimage: busybox\nreplicas: -3\n");
      InProcessCli.Output bad =
          BerthCli.run("apply", "-f", specs.resolve("c.yaml").toString(), "--config", config);
      assertEquals(1, bad.exit());
      assertTrue(bad.err().contains("replicas: must not be negative"), bad.err());

      assertEquals(0, BerthCli.run("delete", "workload", "alpha", "--config", config).exit());
      InProcessCli.Output gone = BerthCli.run("get", "workloads", "alpha", "--config", config);
      assertEquals(1, gone.exit());
      assertTrue(gone.err().contains("no workload named \"alpha\""), gone.err());

      InProcessCli.Output down =
          BerthCli.run("get", "workloads", "--config", config, "--server", "https://127.0.0.1:1");
      assertEquals(1, down.exit());
      assertTrue(down.err().contains("is `berth up` running?"), down.err());

      // the same commands without credentials, or with a viewer's, change nothing
      InProcessCli.Output anonymous =
          BerthCli.run(
              "get",
              "workloads",
              "--config",
              dir.resolve("none.json").toString(),
              "--server",
              "https://127.0.0.1:" + api.actualPort(),
              "--certificate-authority",
              access.caCert().toString());
      assertEquals(1, anonymous.exit());
      assertTrue(anonymous.err().contains("no token for"), anonymous.err());
      InProcessCli.Output made =
          BerthCli.run("token", "create", "reader", "--role", "viewer", "--config", config);
      assertEquals(0, made.exit(), made.err());
      String secret = made.out().trim();
      InProcessCli.Output refused =
          BerthCli.run("delete", "workload", "beta", "--config", config, "--token", secret);
      assertEquals(1, refused.exit());
      assertTrue(refused.err().contains("needs operator"), refused.err());
      assertEquals(
          0,
          BerthCli.run("get", "workloads", "beta", "--config", config, "--token", secret).exit());
      assertTrue(
          BerthCli.run("token", "list", "--config", config)
              .out()
              .lines()
              .anyMatch(l -> l.startsWith("reader") && l.contains("viewer")));
      assertEquals(0, BerthCli.run("token", "revoke", "reader", "--config", config).exit());
      InProcessCli.Output revoked =
          BerthCli.run("get", "workloads", "--config", config, "--token", secret);
      assertEquals(1, revoked.exit());
      assertTrue(revoked.err().contains("not valid"), revoked.err());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
