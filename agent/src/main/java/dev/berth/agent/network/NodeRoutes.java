package dev.berth.agent.network;

import dev.berth.model.fleet.NodeRecord;
import dev.berth.model.network.Ipv4Cidr;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Routes to the other nodes' pod subnets through their node addresses (flannel's host-gw backend):
 * works where the nodes share a layer-2 segment. The routes carry their own protocol number, so
 * that the agent knows which are its to replace and remove, and touches no other route. Blocking.
 */
public final class NodeRoutes {
  /** rtnetlink protocol of Berth's routes (below 256, unused by iproute2's rt_protos). */
  public static final String PROTO = "196";

  private final List<String> ip;

  /** Routes in the host's namespace. */
  public NodeRoutes() {
    this(List.of("ip"));
  }

  /** Routes through {@code ip}, e.g. {@code ip -n NAME} for another namespace. */
  public NodeRoutes(List<String> ip) {
    this.ip = List.copyOf(ip);
  }

  /**
   * Which subnet goes through which address: every other node's that has both, except those whose
   * address is this host's own (their bridge is here: the kernel routes to it already).
   */
  public static Map<String, String> wanted(
      Collection<NodeRecord> nodes, String self, Set<String> localAddresses) {
    Map<String, String> out = new TreeMap<>();
    for (NodeRecord n : nodes) {
      if (n.name().equals(self)
          || n.podSubnet() == null
          || n.address() == null
          || localAddresses.contains(n.address())) {
        continue;
      }
      try {
        Ipv4Cidr.parse(n.podSubnet());
        Ipv4Cidr.address(n.address());
      } catch (IllegalArgumentException e) {
        continue; // a record this agent cannot make a route of is no reason to stop the others
      }
      out.put(n.podSubnet(), n.address());
    }
    return out;
  }

  /** Makes Berth's routes exactly {@code wanted} (subnet to gateway address). */
  public void sync(Map<String, String> wanted) throws IOException {
    Map<String, String> have = current();
    for (Map.Entry<String, String> e : wanted.entrySet()) {
      if (!e.getValue().equals(have.get(e.getKey()))) {
        run("route", "replace", e.getKey(), "via", e.getValue(), "proto", PROTO);
      }
    }
    for (String dst : have.keySet()) {
      if (!wanted.containsKey(dst)) {
        run("route", "delete", dst, "proto", PROTO);
      }
    }
  }

  /** Berth's routes now: subnet to gateway address. */
  public Map<String, String> current() throws IOException {
    Map<String, String> out = new TreeMap<>();
    String table = run("-4", "route", "show", "proto", PROTO);
    for (String line : table.lines().toList()) {
      String[] f = line.trim().split("\\s+");
      for (int i = 1; i + 1 < f.length; i++) {
        if (f[i].equals("via")) {
          out.put(f[0], f[i + 1]);
        }
      }
    }
    return out;
  }

  private String run(String... args) throws IOException {
    List<String> argv = new ArrayList<>(ip);
    argv.addAll(List.of(args));
    return HostCommand.run(argv);
  }
}
