package dev.berth.agent.network.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The resolver files of containers and of the host: what a container's resolv.conf says, and where
 * the host's resolvers are.
 */
public final class ResolvConf {
  private ResolvConf() {}

  /** A container's resolv.conf: the node's name server, Berth's domain searched first. */
  public static String forContainer(String nameserver, String suffix) {
    return "nameserver " + nameserver + "\nsearch " + suffix + "\noptions ndots:1\n";
  }

  /** The nameservers of a host resolv.conf, port 53; none when the file is missing. */
  public static List<InetSocketAddress> nameservers(Path file) throws IOException {
    List<InetSocketAddress> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    for (String line : Files.readAllLines(file)) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 2 && f[0].equals("nameserver")) {
        out.add(new InetSocketAddress(f[1], 53));
      }
    }
    return out;
  }
}
