package dev.berth.agent.network;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The network `berth up` writes when none is configured, as podman writes its default: a bridge
 * with host-local addresses on a subnet that no route of the host uses yet, masquerading out,
 * published ports (portmap) and the firewall plugin's forwarding rules.
 */
public final class DefaultNetwork {
  public static final String NAME = "berth";
  public static final String FILE = "10-berth.conflist";

  /** Podman's default range first, then neighbours, then the 172.16/12 block. */
  static final List<String> CANDIDATES =
      List.of(
          "10.88.0.0/16",
          "10.89.0.0/16",
          "10.90.0.0/16",
          "10.91.0.0/16",
          "172.29.0.0/16",
          "172.30.0.0/16",
          "172.31.0.0/16");

  private DefaultNetwork() {}

  /**
   * Writes the default network into {@code confDir} unless a config is there already; returns the
   * file written, or null when one existed.
   */
  public static Path ensure(Path confDir, String bridge, Path ipamDir) throws IOException {
    Files.createDirectories(confDir);
    try (var s = Files.list(confDir)) {
      if (s.anyMatch(p -> p.toString().endsWith(".conflist") || p.toString().endsWith(".conf"))) {
        return null;
      }
    }
    String subnet = freeSubnet(hostRoutes());
    String json =
        """
        {
          "cniVersion": "1.0.0",
          "name": "%s",
          "plugins": [
            {"type": "bridge", "bridge": "%s", "isGateway": true, "ipMasq": true, "hairpinMode": true,
             "ipam": {"type": "host-local", "dataDir": "%s", "ranges": [[{"subnet": "%s"}]],
                      "routes": [{"dst": "0.0.0.0/0"}]}},
            {"type": "portmap", "capabilities": {"portMappings": true}},
            {"type": "firewall"}
          ]
        }
        """
            .formatted(NAME, bridge, ipamDir, subnet);
    Path file = confDir.resolve(FILE);
    Files.writeString(file, json);
    return file;
  }

  /** The first candidate subnet that overlaps no route of the host. */
  static String freeSubnet(List<String> routes) throws IOException {
    for (String c : CANDIDATES) {
      if (routes.stream().noneMatch(r -> overlaps(r, c))) {
        return c;
      }
    }
    throw new IOException(
        "no free subnet for the default network: all of " + CANDIDATES + " overlap a route");
  }

  /**
   * The host's IPv4 route destinations as CIDRs, from /proc/net/route (the default route left out).
   */
  static List<String> hostRoutes() throws IOException {
    List<String> out = new ArrayList<>();
    List<String> lines = Files.readAllLines(Path.of("/proc/net/route"));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 8) {
        continue;
      }
      long dst = Long.parseLong(f[1], 16);
      long mask = Long.parseLong(f[7], 16);
      if (mask == 0) {
        continue; // the default route overlaps everything and decides nothing
      }
      out.add(ipv4(Long.reverseBytes(dst) >>> 32) + "/" + Long.bitCount(mask));
    }
    return out;
  }

  static boolean overlaps(String a, String b) {
    long[] x = range(a);
    long[] y = range(b);
    return x[0] <= y[1] && y[0] <= x[1];
  }

  private static long[] range(String cidr) {
    String[] p = cidr.split("/");
    long ip;
    try {
      ip = new BigInteger(1, InetAddress.getByName(p[0]).getAddress()).longValue();
    } catch (IOException e) {
      throw new IllegalArgumentException("not an IPv4 CIDR: " + cidr, e);
    }
    int bits = Integer.parseInt(p[1]);
    long size = 1L << (32 - bits);
    long start = ip & ~(size - 1) & 0xffffffffL;
    return new long[] {start, start + size - 1};
  }

  private static String ipv4(long v) {
    return ((v >> 24) & 255) + "." + ((v >> 16) & 255) + "." + ((v >> 8) & 255) + "." + (v & 255);
  }
}
