package dev.berth.agent.network;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.JsonMapping;
import dev.berth.model.network.Ipv4Cidr;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The network an agent writes for itself when the operator configured none, as podman writes its
 * default: a bridge with host-local addresses on the node's pod subnet, masquerading out, published
 * ports (portmap) and the firewall plugin's forwarding rules. Also picks, for `berth up`, a pod
 * range that no route of the host uses yet.
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

  /** True when {@code confDir} holds a network config other than the one Berth writes. */
  public static boolean operatorConfigured(Path confDir) throws IOException {
    if (!Files.isDirectory(confDir)) {
      return false;
    }
    try (Stream<Path> s = Files.list(confDir)) {
      return s.map(p -> p.getFileName().toString())
          .anyMatch(n -> (n.endsWith(".conflist") || n.endsWith(".conf")) && !n.equals(FILE));
    }
  }

  /** The subnet of the network Berth wrote into {@code confDir} earlier, or null. */
  public static String writtenSubnet(Path confDir) {
    try {
      JsonNode root = JsonMapping.mapper().readTree(confDir.resolve(FILE).toFile());
      JsonNode subnet = root.path("plugins").path(0).path("ipam").path("ranges").path(0).path(0);
      return subnet.path("subnet").isTextual() ? subnet.path("subnet").asText() : null;
    } catch (IOException e) {
      return null; // none, or not readable: a new one is written
    }
  }

  /**
   * Writes the network on {@code bridge} over {@code subnet} into {@code confDir} (replacing an
   * earlier one of Berth's); returns the file.
   */
  public static Path write(Path confDir, String bridge, String subnet, Path ipamDir)
      throws IOException {
    Ipv4Cidr.parse(subnet); // a bad subnet fails here, not in a plugin at the first container
    Files.createDirectories(confDir);
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
    if (!Files.exists(file) || !Files.readString(file).equals(json)) {
      // A temp file of its own: two `berth run`s may write the same network at once.
      Path tmp = Files.createTempFile(confDir, FILE, ".tmp");
      try {
        Files.writeString(tmp, json);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
    return file;
  }

  /** A pod range for a fleet on this host: the first candidate no route of the host overlaps. */
  public static String freeRange() throws IOException {
    return freeSubnet(hostRoutes());
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
      int prefix = Long.bitCount(mask);
      long address = Long.reverseBytes(dst) >>> 32; // the kernel prints it little-endian
      out.add(new Ipv4Cidr(address & ~((1L << (32 - prefix)) - 1), prefix).toString());
    }
    return out;
  }

  static boolean overlaps(String a, String b) {
    return Ipv4Cidr.parse(a).overlaps(Ipv4Cidr.parse(b));
  }
}
