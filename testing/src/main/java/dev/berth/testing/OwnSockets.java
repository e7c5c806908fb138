package dev.berth.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The sockets this process listens on (TCP in LISTEN, UDP bound), read as `ss -lntup` would from
 * /proc/net and the process's own descriptors: what a test needs to say that nothing listens on a
 * wildcard address.
 */
public final class OwnSockets {
  /** One listening socket: tcp, tcp6, udp or udp6, its local address and port. */
  public record Listener(String proto, String address, int port) {
    /** True for 0.0.0.0 and ::, which accept on every interface. */
    public boolean wildcard() {
      return address.equals("0.0.0.0") || address.equals("::");
    }
  }

  private OwnSockets() {}

  public static List<Listener> listening() throws IOException {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : fds.toList()) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException gone) {
          // closed while listed
        }
      }
    }
    List<Listener> out = new ArrayList<>();
    for (String proto : List.of("tcp", "tcp6", "udp", "udp6")) {
      List<String> lines = Files.readAllLines(Path.of("/proc/net", proto));
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+");
        boolean listening = proto.startsWith("tcp") ? f[3].equals("0A") : f[3].equals("07");
        if (listening && inodes.contains(f[9])) {
          String[] local = f[1].split(":");
          out.add(new Listener(proto, address(local[0]), Integer.parseInt(local[1], 16)));
        }
      }
    }
    return out;
  }

  /** /proc/net's hex address: IPv4 as one little-endian word, IPv6 as four. */
  private static String address(String hex) {
    if (hex.length() == 8) {
      long v = Long.parseLong(hex, 16);
      return (v & 255) + "." + ((v >> 8) & 255) + "." + ((v >> 16) & 255) + "." + ((v >> 24) & 255);
    }
    StringBuilder b = new StringBuilder();
    for (int word = 0; word < 4; word++) {
      String w = hex.substring(word * 8, word * 8 + 8);
      for (int i = 6; i >= 0; i -= 2) {
        b.append(w, i, i + 2);
        if (i == 4 || (i == 0 && word < 3)) {
          b.append(':');
        }
      }
    }
    try {
      return InetAddress.getByName(b.toString())
          .getHostAddress()
          .replaceAll("^0:0:0:0:0:0:0:0$", "::");
    } catch (UnknownHostException e) {
      return b.toString();
    }
  }
}
