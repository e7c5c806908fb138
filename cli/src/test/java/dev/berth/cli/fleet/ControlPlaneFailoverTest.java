package dev.berth.cli.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import dev.berth.agent.node.FleetViewClient;
import dev.berth.cli.BerthMain;
import dev.berth.cli.fleetctl.ApiClient;
import dev.berth.cli.fleetctl.ClientConfig;
import dev.berth.controlplane.auth.ApiAccess;
import dev.berth.controlplane.cluster.LeaderLease;
import dev.berth.controlplane.pki.ApiCredentials;
import dev.berth.embedded.EmbeddedKafkaBroker;
import dev.berth.model.fleet.Assignment;
import dev.berth.model.fleet.KafkaAccess;
import dev.berth.model.pki.CertificateAuthority;
import dev.berth.runtime.files.FileTrees;
import dev.berth.testing.AssignmentTopicReader;
import dev.berth.testing.Await;
import dev.berth.testing.ChildJvm;
import dev.berth.testing.SimulatedNodes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two `berth control-plane` processes: one schedules (it holds the lease), the other answers the
 * API and waits; killed with SIGKILL, the leader is replaced by the other within the lease and a
 * few seconds, and the new leader carries on from the placements the old one wrote (no duplicates).
 */
class ControlPlaneFailoverTest {
  private static final String BERTH = BerthMain.class.getName();

  private static final long LEASE = 3000;
  private Path credentials;

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** A client of one control plane's API with the admin token both share. */
  private ApiClient api(int apiPort) throws IOException {
    return new ApiClient(
        new ClientConfig(
            "https://127.0.0.1:" + apiPort,
            credentials.resolve("ca.crt"),
            Files.readString(credentials.resolve("admin.token")).trim()),
        credentials.resolve("client.json"));
  }

  private int apply(int apiPort, String name, int replicas) throws Exception {
    String spec = "name: " + name + "\nimage: local/busybox:1\nreplicas: " + replicas + "\n";
    return api(apiPort).send("POST", "/v1/workloads", "application/yaml", spec.getBytes()).status();
  }

  private int apply(int apiPort, int replicas) throws Exception {
    return apply(apiPort, "w", replicas);
  }

  private int status(int apiPort, String path) {
    try {
      return api(apiPort).send("GET", path, null, null).status();
    } catch (Exception e) {
      return -1;
    }
  }

  /** Every assignment of both simulated nodes once the log has been quiet for a moment. */
  private static List<Assignment> placed(KafkaAccess kafka) {
    try (AssignmentTopicReader a = new AssignmentTopicReader(kafka, "sim-1");
        AssignmentTopicReader b = new AssignmentTopicReader(kafka, "sim-2")) {
      for (int quiet = 0; quiet < 2; ) {
        boolean moved = a.poll(Duration.ofMillis(200)) | b.poll(Duration.ofMillis(200));
        quiet = moved ? 0 : quiet + 1;
      }
      List<Assignment> all = new ArrayList<>(a.desired().values());
      all.addAll(b.desired().values());
      return all;
    }
  }

  @Test
  void whenTheSchedulingControlPlaneIsKilledTheOtherTakesOverWithinTheLease() throws Exception {
    Path work = Files.createTempDirectory("berth-cp-failover-");
    credentials = work.resolve("pki");
    int[] hz = {freePort(), freePort()};
    int[] api = {freePort(), freePort()};
    ChildJvm[] cps = new ChildJvm[2];
    ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor();
    HazelcastInstance client = null;
    // the fleet's CA before Kafka, which trusts only it; the control planes find it there
    ApiAccess access = ApiCredentials.ensure(credentials, List.of());
    try (EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.start(
            work.resolve("kafka"), 0, CertificateAuthority.openOrCreate(credentials))) {
      String bootstrap = broker.bootstrapServers();
      KafkaAccess kafka = access.kafka(bootstrap);
      for (int i = 0; i < 2; i++) {
        cps[i] =
            ChildJvm.start(
                work.resolve("cp" + i + ".log"),
                BERTH,
                "control-plane",
                "--kafka",
                bootstrap,
                "--api-port",
                Integer.toString(api[i]),
                "--cluster",
                "berth-cpf",
                "--hazelcast-port",
                Integer.toString(hz[i]),
                "--hazelcast-member",
                "127.0.0.1:" + hz[1 - i],
                "--lease-millis",
                Long.toString(LEASE),
                "--credentials-dir",
                credentials.toString());
      }
      for (ChildJvm cp : cps) {
        cp.awaitLine("ready", 90_000);
      }
      client =
          FleetViewClient.connect("berth-cpf", List.of("127.0.0.1:" + hz[0], "127.0.0.1:" + hz[1]));
      SimulatedNodes nodes = new SimulatedNodes(client, System::currentTimeMillis);
      renewals.scheduleAtFixedRate(
          () -> {
            nodes.renew("sim-1", 4000, 8L << 30, Map.of(), 60_000);
            nodes.renew("sim-2", 4000, 8L << 30, Map.of(), 60_000);
          },
          0,
          500,
          TimeUnit.MILLISECONDS);
      var leases = client.<String, dev.berth.model.fleet.LeaseHolder>getMap(LeaderLease.MAP);
      Await.until(() -> leases.get("scheduler") != null, "a leader", 30_000);
      int leader = leases.get("scheduler").id().contains("-" + cps[0].pid() + "@") ? 0 : 1;
      int standby = 1 - leader;

      assertEquals(201, apply(api[standby], 2), "the standby answers the API");
      Await.until(
          () -> placed(kafka).size() == 2, "the leader to place what the standby stored", 30_000);

      // An apply answered by the leader right before it dies is not lost: it was on Kafka before
      // the answer.
      apply(api[leader], "last-words", 0);
      long killed = System.currentTimeMillis();
      cps[leader].kill();
      Await.until(
          () -> status(api[standby], "/v1/workloads/last-words") == 200,
          "the survivor to know the last apply",
          10_000);
      assertEquals(200, apply(api[standby], 4));
      Await.until(
          () -> placed(kafka).size() == 4, "the new leader to place the scale-up", LEASE + 30_000);
      long tookOver = System.currentTimeMillis() - killed;
      System.out.println(
          "control-plane failover: placements by the new leader " + tookOver + " ms after SIGKILL");
      assertTrue(tookOver < LEASE + 15_000, "took over after " + tookOver + " ms");
      assertTrue(
          leases.get("scheduler").id().contains("-" + cps[standby].pid() + "@"),
          "the survivor holds the lease");
      List<Assignment> all = placed(kafka);
      assertEquals(
          4,
          all.stream().map(Assignment::containerId).distinct().count(),
          "no duplicate replica: " + all);
      assertTrue(
          all.stream().anyMatch(x -> x.node().equals("sim-1"))
              && all.stream().anyMatch(x -> x.node().equals("sim-2")),
          "still spread: " + all);
    } finally {
      renewals.shutdownNow();
      if (client != null) {
        client.shutdown();
      }
      for (ChildJvm cp : cps) {
        if (cp != null) {
          cp.close();
        }
      }
      FileTrees.delete(work);
    }
  }
}
