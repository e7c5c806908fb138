package dev.berth.cli.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import dev.berth.cli.BerthCli;
import dev.berth.controlplane.cluster.NodeRegistry;
import dev.berth.model.fleet.ContainerReport;
import dev.berth.model.fleet.ContainerState;
import dev.berth.model.fleet.FleetMaps;
import dev.berth.model.network.Ipv4Cidr;
import dev.berth.model.network.PodSubnetTable;
import dev.berth.testing.Await;
import dev.berth.testing.ChildJvm;
import dev.berth.testing.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Two `berth agent` processes on this machine, each with its own bridge and its own pod subnet out
 * of the fleet's range: a container on one reaches a container on the other by name, without NAT;
 * an agent killed and started again keeps its subnet and its containers their addresses; a node
 * removed for good frees its subnet; `berth down` leaves no bridge, namespace or rule.
 */
class PodNetworkAcrossNodesTest {
  private static final String IMAGE = "local/busybox:1";
  private static final String RANGE = "10.217.0.0/16";
  private static final long LEASE = 3000;
  private final String tag = Long.toString(ProcessHandle.current().pid() % 100_000);

  private ChildJvm agent(ProcessFleet fleet, String node) throws Exception {
    return fleet.agent(
        node,
        "--lease-millis",
        Long.toString(LEASE),
        "--label",
        "node=" + node,
        "--cni-conf-dir",
        fleet.work().resolve("net.d-" + node).toString(),
        "--bridge",
        bridge(node));
  }

  private String bridge(String node) {
    return "bpn" + node + tag;
  }

  private static Optional<ContainerReport> running(HazelcastInstance hz, String workload) {
    return hz.<String, ContainerReport>getMap(FleetMaps.CONTAINERS).values().stream()
        .filter(r -> r.workload().equals(workload) && r.state() == ContainerState.RUNNING)
        .filter(r -> r.ip() != null)
        .findFirst();
  }

  private static String apply(String server, Path work, String yaml) throws Exception {
    Path f = Files.createTempFile(work, "spec-", ".yaml");
    Files.writeString(f, yaml);
    var out = BerthCli.run("apply", "-f", f.toString(), "--config", server);
    assertEquals(0, out.exit(), out.err());
    return out.out();
  }

  @Test
  void containersOnTwoNodesReachEachOtherByNameWithoutNat() throws Exception {
    try (ProcessFleet fleet = ProcessFleet.start("berth-pods", RANGE)) {
      HazelcastInstance hz = fleet.hazelcast();
      Path work = fleet.work();
      String server = fleet.config();
      fleet.buildImage("a");
      fleet.buildImage("b");
      ChildJvm a = agent(fleet, "a");
      ChildJvm b = agent(fleet, "b");
      NodeRegistry nodes = new NodeRegistry(hz, System::currentTimeMillis);
      Await.until(() -> nodes.alive().size() == 2, "both agents' leases", 30_000);

      PodSubnetTable plan =
          hz.<String, PodSubnetTable>getMap(FleetMaps.POD_SUBNETS).get(PodSubnetTable.KEY);
      String subnetA = plan.subnetOf("a").orElseThrow();
      String subnetB = plan.subnetOf("b").orElseThrow();
      assertNotEquals(subnetA, subnetB);
      Ipv4Cidr range = Ipv4Cidr.parse(RANGE);
      assertTrue(
          range.contains(Ipv4Cidr.parse(subnetA)) && range.contains(Ipv4Cidr.parse(subnetB)));
      var wide = BerthCli.run("get", "nodes", "-o", "wide", "--config", server).out();
      assertTrue(wide.contains(subnetA) && wide.contains(subnetB), wide);

      apply(
          server,
          work,
          "name: site\nimage: "
              + IMAGE
              + "\ncommand: [sh, -c]\n"
              + "args: [\"echo page-from-a > /tmp/i && httpd -f -v -p 8080 -h /tmp\"]\n"
              + "nodeSelector: {node: a}\n");
      apply(
          server,
          work,
          "name: client\nimage: "
              + IMAGE
              + "\ncommand: [sh, -c]\n"
              + "args: [\"until wget -qO- http://site:8080/i; do sleep 0.2; done; sleep 600\"]\n"
              + "nodeSelector: {node: b}\n");
      Await.until(
          () -> running(hz, "site").isPresent() && running(hz, "client").isPresent(),
          "site on a and client on b running with addresses",
          60_000);
      ContainerReport site = running(hz, "site").orElseThrow();
      ContainerReport client = running(hz, "client").orElseThrow();
      assertEquals("a", site.node());
      assertEquals("b", client.node());
      assertTrue(Ipv4Cidr.parse(subnetA).contains(Ipv4Cidr.parse(site.ip() + "/32")), site.ip());
      assertTrue(
          Ipv4Cidr.parse(subnetB).contains(Ipv4Cidr.parse(client.ip() + "/32")), client.ip());
      Await.until(
          () -> logs(server, "client", "stdout").equals("page-from-a\n"),
          "the client on b to fetch the page from site on a by name",
          30_000);
      assertTrue(
          logs(server, "site", "stderr").contains(client.ip()),
          "the site saw the client's own address (no NAT between pods): "
              + logs(server, "site", "stderr"));
      assertEquals(
          "", Shell.run("ip", "route", "show", "proto", "196").strip(), "both nodes are this host");

      // a is killed and started again: it keeps its subnet, site keeps its address and answers.
      a.kill();
      a = agent(fleet, "a");
      Await.until(
          () -> running(hz, "site").map(r -> r.ip().equals(site.ip())).orElse(false),
          "site adopted with its address",
          30_000);
      assertEquals(
          subnetA,
          hz.<String, PodSubnetTable>getMap(FleetMaps.POD_SUBNETS)
              .get(PodSubnetTable.KEY)
              .subnetOf("a")
              .orElseThrow());
      var again =
          BerthCli.run(
              "exec", "--config", server, "client", "--", "wget", "-qO-", "http://site:8080/i");
      assertEquals("page-from-a\n", again.out(), again.err());

      // b goes for good: once its lease is out, deleting the node frees its subnet.
      b.kill();
      var alive = BerthCli.run("delete", "node", "a", "--config", server);
      assertEquals(1, alive.exit());
      assertTrue(alive.err().contains("is alive"), alive.err());
      Await.until(
          () -> nodes.alive().stream().noneMatch(n -> n.name().equals("b")),
          "b's lease to run out",
          LEASE + 10_000);
      var deleted = BerthCli.run("delete", "node", "b", "--config", server);
      assertEquals(0, deleted.exit(), deleted.err());
      assertEquals(
          Map.of("a", subnetA),
          hz.<String, PodSubnetTable>getMap(FleetMaps.POD_SUBNETS)
              .get(PodSubnetTable.KEY)
              .byNode());

      a.close();
      var down = BerthCli.run("down", "--state-dir", work.toString());
      assertEquals(0, down.exit(), down.err());
      for (String node : List.of("a", "b")) {
        assertTrue(!Files.exists(Path.of("/sys/class/net", bridge(node))), down.out());
      }
      String rules = Shell.run("iptables-save");
      assertTrue(!rules.contains(RANGE) && !rules.contains(site.ip() + "/32"), rules);
      try (var pins = Files.list(Path.of("/run/netns"))) {
        assertTrue(
            pins.noneMatch(
                p ->
                    p.getFileName().toString().startsWith("berth-a-")
                        || p.getFileName().toString().startsWith("berth-b-")),
            "no network namespace left");
      }
      fleet.assertNeverBlocked();
    }
  }

  private static String logs(String server, String workload, String stream) {
    return BerthCli.run("logs", workload, "--stream", stream, "--config", server).out();
  }
}
