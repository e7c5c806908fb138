package dev.berth.cli.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import dev.berth.cli.fleetctl.ApiClient;
import dev.berth.controlplane.cluster.NodeRegistry;
import dev.berth.controlplane.specs.WorkloadStore;
import dev.berth.model.fleet.ContainerReport;
import dev.berth.model.fleet.ContainerState;
import dev.berth.model.fleet.FleetMaps;
import dev.berth.model.runtime.State;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.testing.Await;
import dev.berth.testing.ChildJvm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A real fleet on this machine: a Kafka broker and a control plane (a Hazelcast member), and two
 * agents as separate `berth agent` processes (Hazelcast clients), each with its own state directory
 * and cgroup parent. Replicas spread, scale, move off an agent killed with SIGKILL, are stopped on
 * it when it comes back, are adopted by an agent restarted in time, survive a broker restart, and
 * all go when deleted.
 */
class MultiProcessFleetTest {

  private static final String IMAGE = "local/busybox:1";

  /**
   * Agent b's lease is short (it is the one that dies); agent a's is long enough to restart within
   * it.
   */
  private static final long LEASE_B = 3000;

  private static final long LEASE_A = 30_000;

  private HttpClient monitor;
  private ApiClient api;

  private static List<State> running(ContainerRuntime runtime) {
    return runtime.list().stream().filter(s -> s.status().equals("running")).toList();
  }

  private static List<Integer> pids(ContainerRuntime runtime) {
    return running(runtime).stream().map(State::pid).sorted().toList();
  }

  private int apply(String name, int replicas) throws Exception {
    String spec =
        "name: "
            + name
            + "\nimage: "
            + IMAGE
            + "\ncommand: [sleep]\nargs: [\"600\"]\nreplicas: "
            + replicas
            + "\n";
    return api.send("POST", "/v1/workloads", "application/yaml", spec.getBytes()).status();
  }

  /**
   * The agent's finished reconcile passes, from its node API's /metrics (the pass timer's count).
   */
  private long reconcilePasses(ChildJvm agent) {
    try {
      String ready = agent.awaitLine("ready: node API https://", 5000);
      String base =
          ready.substring(ready.indexOf("https://"), ready.indexOf(',', ready.indexOf("https://")));
      String metrics =
          monitor
              .send(
                  HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      return metrics
          .lines()
          .filter(l -> l.startsWith("berth_agent_reconcile_seconds_count"))
          .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
          .sum();
    } catch (Exception e) {
      return -1; // not answering yet
    }
  }

  private static ChildJvm agent(ProcessFleet fleet, String node, long leaseMillis)
      throws Exception {
    return fleet.agent(
        node,
        "--lease-millis",
        Long.toString(leaseMillis),
        "--cni-conf-dir",
        fleet.work().resolve("net.d-" + node).toString(),
        "--bridge",
        "bmp" + node.charAt(node.length() - 1) + ProcessHandle.current().pid() % 100_000);
  }

  @Test
  void replicasSpreadScaleMoveOffAKilledAgentAndSurviveRestarts() throws Exception {
    try (ProcessFleet fleet = ProcessFleet.start("berth-mp", "10.218.0.0/16")) {
      HazelcastInstance hz = fleet.hazelcast();
      api = fleet.api();
      monitor = fleet.monitor();
      fleet.buildImage("node-a");
      fleet.buildImage("node-b");
      ChildJvm a = agent(fleet, "node-a", LEASE_A);
      ChildJvm b = agent(fleet, "node-b", LEASE_B);
      ContainerRuntime onA = fleet.runtimeOf("node-a");
      ContainerRuntime onB = fleet.runtimeOf("node-b");
      NodeRegistry nodes = new NodeRegistry(hz, System::currentTimeMillis);
      Await.until(() -> nodes.alive().size() == 2, "both agents' leases", 30_000);

      assertEquals(201, apply("web", 3));
      Await.until(() -> running(onA).size() + running(onB).size() == 3, "three replicas", 60_000);
      assertTrue(
          !running(onA).isEmpty() && !running(onB).isEmpty(), "replicas spread over both agents");
      assertEquals(200, apply("web", 5));
      Await.until(() -> running(onA).size() + running(onB).size() == 5, "five replicas", 60_000);
      assertEquals(200, apply("web", 1));
      Await.until(
          () -> onA.list().size() + onB.list().size() == 1,
          "one replica, the others removed",
          60_000);
      assertEquals(200, apply("web", 3));
      Await.until(
          () -> running(onA).size() + running(onB).size() == 3 && !running(onB).isEmpty(),
          "three again",
          60_000);

      // SIGKILL agent b: its lease lapses and its replicas are placed and started on a.
      long killed = System.currentTimeMillis();
      b.kill();
      Await.until(() -> running(onA).size() == 3, "b's replicas running on a", LEASE_B + 20_000);
      long moved = System.currentTimeMillis() - killed;
      assertTrue(moved < LEASE_B + 10_000, "replicas moved " + moved + " ms after the kill");
      System.out.println(
          "failover: b's replicas running on a "
              + moved
              + " ms after SIGKILL (lease "
              + LEASE_B
              + " ms)");
      // b comes back: what no longer belongs to it is stopped there.
      b = agent(fleet, "node-b", LEASE_B);
      Await.until(() -> onB.list().isEmpty(), "b to stop the replicas that moved away", 30_000);
      var reports = hz.<String, ContainerReport>getMap(FleetMaps.CONTAINERS);
      Await.until(
          () -> reports.values().stream().noneMatch(r -> r.node().equals("node-b")),
          "no report left that says a container runs on b",
          10_000);
      Await.until(
          () ->
              reports.values().stream().filter(r -> r.state() == ContainerState.RUNNING).count()
                  == 3,
          "three running replicas in the fleet view",
          10_000);
      assertEquals(3, running(onA).size());

      // SIGKILL agent a and start it again within its lease: it adopts its containers, no restart,
      // no duplicate.
      List<Integer> before = pids(onA);
      a.kill();
      a = agent(fleet, "node-a", LEASE_A);
      ChildJvm restarted = a;
      Await.until(
          () -> reconcilePasses(restarted) >= 3,
          "three reconcile passes of the restarted agent",
          30_000);
      assertEquals(before, pids(onA), "adopted: the same processes");
      assertEquals(3, onA.list().size() + onB.list().size());

      // The broker restarts mid-run: no applied spec is lost and the fleet goes on.
      assertEquals(201, apply("extra", 1));
      fleet.restartBroker();
      try (WorkloadStore reread = WorkloadStore.open(fleet.kafkaAccess())) {
        assertEquals(
            List.of("extra", "web"), reread.list().stream().map(w -> w.spec().name()).toList());
      }
      Await.until(
          () -> retryApply("after"), "an apply to succeed after the broker restart", 60_000);
      Await.until(
          () -> running(onA).size() + running(onB).size() == 5,
          "web, extra and after running",
          60_000);

      for (String name : List.of("web", "extra", "after")) {
        api.send("DELETE", "/v1/workloads/" + name, null, null);
      }
      Await.until(
          () -> onA.list().isEmpty() && onB.list().isEmpty(), "everything to be removed", 60_000);
      fleet.assertNeverBlocked();
    }
  }

  private boolean retryApply(String name) {
    try {
      return apply(name, 1) == 201;
    } catch (Exception e) {
      return false;
    }
  }
}
