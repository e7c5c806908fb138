package dev.berth.agent.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.model.fleet.NodeRecord;
import dev.berth.testing.Shell;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Routes to other nodes' pod subnets, made in a network namespace of the test's own (a "host" with
 * one link 192.0.2.1/24 to its neighbours): each remote node's subnet goes through its address, a
 * node that leaves takes its route along, routes that are not Berth's are never touched.
 */
class NodeRoutesTest {
  private final String ns = "berth-routes-" + ProcessHandle.current().pid();
  private NodeRoutes routes;

  private static NodeRecord node(String name, String address, String subnet) {
    return new NodeRecord(name, 1000, 1 << 30, 1000, 1 << 30, Map.of(), 0, null, address, subnet);
  }

  @BeforeEach
  void setUp() throws Exception {
    Shell.run("ip", "netns", "add", ns);
    // A veth pair inside the namespace (this kernel has no dummy links): one end is the link.
    Shell.run("ip", "-n", ns, "link", "add", "link0", "type", "veth", "peer", "name", "link1");
    Shell.run("ip", "-n", ns, "link", "set", "link1", "up");
    Shell.run("ip", "-n", ns, "addr", "add", "192.0.2.1/24", "dev", "link0");
    Shell.run("ip", "-n", ns, "link", "set", "link0", "up");
    routes = new NodeRoutes(List.of("ip", "-n", ns));
  }

  @AfterEach
  void tearDown() throws Exception {
    Shell.run("ip", "netns", "delete", ns);
  }

  @Test
  void otherNodesSubnetsGoThroughTheirAddressesAndLeaveWithThem() throws Exception {
    Shell.run("ip", "-n", ns, "route", "add", "198.51.100.0/24", "via", "192.0.2.9");
    List<NodeRecord> fleet =
        List.of(
            node("self", "192.0.2.1", "10.244.0.0/24"),
            node("b", "192.0.2.7", "10.244.1.0/24"),
            node("c", "192.0.2.8", "10.244.2.0/24"),
            node("same-host", "192.0.2.1", "10.244.3.0/24"),
            node("no-network", "192.0.2.5", null),
            node("garbage", "not-an-address", "10.244.4.0/24"));
    Map<String, String> wanted = NodeRoutes.wanted(fleet, "self", Set.of("192.0.2.1", "127.0.0.1"));
    assertEquals(Map.of("10.244.1.0/24", "192.0.2.7", "10.244.2.0/24", "192.0.2.8"), wanted);

    routes.sync(wanted);
    assertEquals(wanted, routes.current());
    String table = Shell.run("ip", "-n", ns, "route", "get", "10.244.1.9");
    assertTrue(table.contains("via 192.0.2.7"), table);

    // c leaves, b moves to another address.
    routes.sync(Map.of("10.244.1.0/24", "192.0.2.17"));
    assertEquals(Map.of("10.244.1.0/24", "192.0.2.17"), routes.current());
    routes.sync(Map.of());
    assertEquals(Map.of(), routes.current());
    String all = Shell.run("ip", "-n", ns, "route", "show");
    assertTrue(all.contains("198.51.100.0/24 via 192.0.2.9"), "not Berth's, kept: " + all);
  }
}
