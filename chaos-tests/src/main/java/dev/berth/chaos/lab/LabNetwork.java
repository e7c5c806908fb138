package dev.berth.chaos.lab;

import dev.berth.agent.network.HostCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lab's network: a bridge in the host's namespace with the lab's /24 (the host is .1), and a
 * network namespace per fleet member joined to it by a veth, so that each member has an address of
 * its own and can be cut off. Cuts are iptables rules in the member's own namespace, in a chain of
 * their own (the agent's rules there are left alone). Everything is removed by {@link #close}.
 */
public final class LabNetwork implements AutoCloseable {
  private static final String CHAIN = "BERTH-CHAOS";

  private final String tag;
  private final String bridge;
  private final String prefix; // "10.239.N."
  private final Map<String, Integer> hosts = new LinkedHashMap<>();
  private boolean forwardRules;

  private LabNetwork(String tag, String prefix) {
    this.tag = tag;
    this.bridge = "bc" + tag;
    this.prefix = prefix;
  }

  /** Creates the bridge on a /24 of 10.239.0.0/16 that no route of the host overlaps. */
  public static LabNetwork create(String tag) throws IOException {
    LabNetwork net = new LabNetwork(tag, freePrefix());
    try {
      net.ip("link", "add", net.bridge, "type", "bridge");
      net.ip("addr", "add", net.address(1) + "/24", "dev", net.bridge);
      net.ip("link", "set", net.bridge, "up");
      // bridged traffic may pass the host's FORWARD chain (br_netfilter): let the lab's through
      HostCommand.run(List.of("iptables", "-I", "FORWARD", "-i", net.bridge, "-j", "ACCEPT"));
      HostCommand.run(List.of("iptables", "-I", "FORWARD", "-o", net.bridge, "-j", "ACCEPT"));
      net.forwardRules = true;
    } catch (IOException | RuntimeException e) {
      net.close();
      throw e;
    }
    return net;
  }

  private static String freePrefix() throws IOException {
    String routes = Files.readString(Path.of("/proc/net/route"));
    for (int n = (int) (ProcessHandle.current().pid() % 200); n < 400; n++) {
      int third = n % 250;
      // /proc/net/route has destinations in little-endian hex: 10.239.N.0 -> 00NNEF0A
      String dest = String.format("00%02XEF0A", third);
      if (!routes.contains(dest)) {
        return "10.239." + third + ".";
      }
    }
    throw new IOException("no free /24 in 10.239.0.0/16 for the chaos lab");
  }

  /** The address of host number {@code n} on the lab's network. */
  public String address(int n) {
    return prefix + n;
  }

  /** The host's own address on the lab's bridge (where the broker listens). */
  public String hostAddress() {
    return address(1);
  }

  /** The namespace file of {@code member}, for nsenter. */
  public Path namespace(String member) {
    return Path.of("/run/netns", netns(member));
  }

  private String netns(String member) {
    return "bc" + tag + "-" + member;
  }

  /** A network namespace for {@code member} with address number {@code n}, loopback up. */
  public String add(String member, int n) throws IOException {
    String ns = netns(member);
    String veth = "bc" + tag + "h" + n;
    ip("netns", "add", ns);
    hosts.put(member, n);
    ip("link", "add", veth, "type", "veth", "peer", "name", "lab0", "netns", ns);
    ip("link", "set", veth, "master", bridge, "up");
    inNs(ns, "ip", "addr", "add", address(n) + "/24", "dev", "lab0");
    inNs(ns, "ip", "link", "set", "lab0", "up");
    inNs(ns, "ip", "link", "set", "lo", "up");
    inNs(ns, "iptables", "-N", CHAIN);
    inNs(ns, "iptables", "-I", "INPUT", "-j", CHAIN);
    inNs(ns, "iptables", "-I", "OUTPUT", "-j", CHAIN);
    return address(n);
  }

  /**
   * Drops every packet between {@code member} and {@code peer} (an address, or address:port for one
   * service's traffic only), both ways, until {@link #heal}.
   */
  public void cut(String member, String peer) throws IOException {
    String ns = netns(member);
    String address = peer.contains(":") ? peer.substring(0, peer.indexOf(':')) : peer;
    List<String> port = new ArrayList<>();
    List<String> sport = new ArrayList<>();
    if (peer.contains(":")) {
      String p = peer.substring(peer.indexOf(':') + 1);
      port.addAll(List.of("-p", "tcp", "--dport", p));
      sport.addAll(List.of("-p", "tcp", "--sport", p));
    }
    List<String> out = new ArrayList<>(List.of("iptables", "-A", CHAIN, "-d", address));
    out.addAll(port);
    out.addAll(List.of("-j", "DROP"));
    List<String> in = new ArrayList<>(List.of("iptables", "-A", CHAIN, "-s", address));
    in.addAll(sport);
    in.addAll(List.of("-j", "DROP"));
    inNs(ns, out.toArray(String[]::new));
    inNs(ns, in.toArray(String[]::new));
  }

  /** Removes every cut of {@code member}. */
  public void heal(String member) throws IOException {
    inNs(netns(member), "iptables", "-F", CHAIN);
  }

  private void ip(String... args) throws IOException {
    List<String> argv = new ArrayList<>(List.of("ip"));
    argv.addAll(List.of(args));
    HostCommand.run(argv);
  }

  private static void inNs(String ns, String... args) throws IOException {
    List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    argv.addAll(List.of(args));
    HostCommand.run(argv);
  }

  @Override
  public void close() throws IOException {
    List<String> failures = new ArrayList<>();
    for (String member : hosts.keySet()) {
      try {
        ip("netns", "del", netns(member)); // its veth goes with it
      } catch (IOException e) {
        failures.add(e.getMessage());
      }
    }
    hosts.clear();
    if (forwardRules) {
      for (String dir : List.of("-i", "-o")) {
        try {
          HostCommand.run(List.of("iptables", "-D", "FORWARD", dir, bridge, "-j", "ACCEPT"));
        } catch (IOException e) {
          failures.add(e.getMessage());
        }
      }
      forwardRules = false;
    }
    if (Files.exists(Path.of("/sys/class/net", bridge))) {
      try {
        ip("link", "del", bridge);
      } catch (IOException e) {
        failures.add(e.getMessage());
      }
    }
    if (!failures.isEmpty()) {
      throw new IOException("removing the chaos lab's network: " + String.join("; ", failures));
    }
  }
}
