package dev.berth.agent.network;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.berth.agent.AgentLayout;
import dev.berth.model.JsonMapping;
import dev.berth.model.fleet.FleetMaps;
import dev.berth.model.network.PodSubnetTable;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A node's share of the fleet's pod network: the subnet it holds in the pod address plan (claimed
 * by compare-and-set on the fleet's table, so two nodes never get the same one) and the bridge
 * network on it that the agent writes for itself when the operator configured none. Recorded in the
 * agent's state so that `berth down` can take it all down again.
 */
public record PodNetwork(
    String clusterCidr,
    String subnet,
    String bridge,
    Path confFile,
    List<Path> pluginDirs,
    String nodeAddress) {
  /** Compare-and-set attempts before giving up: each loses only to another node's claim. */
  private static final int MAX_ATTEMPTS = 100;

  /** How long an agent waits for a control plane to write the fleet's range. */
  static final long RANGE_WAIT_SECONDS = 60;

  public PodNetwork {
    pluginDirs = List.copyOf(pluginDirs);
  }

  /**
   * Claims this node's subnet and writes its network; null when the operator configured a network
   * of their own in {@code settings.confDir()} (then the node is not part of the pod plan).
   * Blocking (Hazelcast, iptables).
   */
  public static PodNetwork prepare(
      HazelcastInstance fleet, String nodeName, NetworkSettings settings, AgentLayout layout)
      throws IOException {
    if (DefaultNetwork.operatorConfigured(settings.confDir())) {
      return null;
    }
    String preferred = DefaultNetwork.writtenSubnet(settings.confDir());
    PodSubnetTable.Claim claim = claim(fleet, nodeName, preferred);
    Path file =
        DefaultNetwork.write(settings.confDir(), settings.bridge(), claim.subnet(), layout.ipam());
    ClusterMasquerade.exempt(claim.table().clusterCidr());
    PodNetwork n =
        new PodNetwork(
            claim.table().clusterCidr(),
            claim.subnet(),
            settings.bridge(),
            file,
            settings.pluginDirs(),
            settings.nodeAddress() != null ? settings.nodeAddress() : defaultRouteAddress());
    Files.write(layout.podNetwork(), JsonMapping.mapper().writeValueAsBytes(n));
    return n;
  }

  /** This node's subnet in the fleet's table: the one it holds, else a free one. */
  static PodSubnetTable.Claim claim(HazelcastInstance fleet, String nodeName, String preferred)
      throws IOException {
    IMap<String, PodSubnetTable> map = fleet.getMap(FleetMaps.POD_SUBNETS);
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      PodSubnetTable t = awaitRange(map, nodeName);
      PodSubnetTable.Claim c;
      try {
        c = t.claim(nodeName, preferred);
      } catch (IllegalStateException e) {
        throw new IOException("node " + nodeName + ": " + e.getMessage(), e);
      }
      if (c.table() == t || map.replace(PodSubnetTable.KEY, t, c.table())) {
        return c;
      }
      // Another node claimed at the same moment: read the table again.
    }
    throw new IOException(
        "node " + nodeName + ": could not claim a pod subnet in " + MAX_ATTEMPTS + " attempts");
  }

  /** The fleet's table, waiting for a control plane that just started to write it. */
  private static PodSubnetTable awaitRange(IMap<String, PodSubnetTable> map, String nodeName)
      throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(RANGE_WAIT_SECONDS);
    PodSubnetTable t;
    while ((t = map.get(PodSubnetTable.KEY)) == null) {
      if (System.nanoTime() > deadline) {
        throw new IOException(
            "node "
                + nodeName
                + ": the fleet has no pod address range after "
                + RANGE_WAIT_SECONDS
                + " s; a control plane sets it when it starts (berth control-plane --cluster-cidr)");
      }
      sleep();
    }
    return t;
  }

  private static void sleep() throws IOException {
    try {
      TimeUnit.MILLISECONDS.sleep(250);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted waiting for the fleet's pod range", e);
    }
  }

  /** What an agent recorded in {@code layout}, or null. */
  public static PodNetwork recorded(AgentLayout layout) throws IOException {
    Path f = layout.podNetwork();
    return Files.exists(f) ? JsonMapping.mapper().readValue(f.toFile(), PodNetwork.class) : null;
  }

  /**
   * Undoes {@link #prepare} on this host once no container uses the network (`berth down`): the
   * bridge, the NAT exemption, the config file and the record.
   */
  public void tearDown(AgentLayout layout) throws IOException {
    if (Files.exists(Path.of("/sys/class/net", bridge))) {
      HostCommand.run(List.of("ip", "link", "delete", bridge));
    }
    ClusterMasquerade.remove(clusterCidr);
    Files.deleteIfExists(confFile);
    Files.deleteIfExists(layout.podNetwork());
  }

  /**
   * The IPv4 address of the interface the host's default route leaves through: where other hosts
   * reach this one; null without a default route.
   */
  static String defaultRouteAddress() throws IOException {
    List<String> lines = Files.readAllLines(Path.of("/proc/net/route"));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 8 && f[1].equals("00000000") && f[7].equals("00000000")) {
        try {
          NetworkInterface nic = NetworkInterface.getByName(f[0]);
          if (nic == null) {
            return null;
          }
          return nic.inetAddresses()
              .filter(a -> a instanceof Inet4Address)
              .map(a -> a.getHostAddress())
              .findFirst()
              .orElse(null);
        } catch (SocketException e) {
          throw new IOException("cannot read the addresses of " + f[0] + ": " + e.getMessage(), e);
        }
      }
    }
    return null;
  }
}
