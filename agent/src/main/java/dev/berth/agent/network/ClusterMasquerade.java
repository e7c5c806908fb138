package dev.berth.agent.network;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps traffic between pods of the fleet free of NAT: the bridge plugin masquerades everything
 * that leaves a node's subnet, which would hide a pod's address from pods on other nodes. One rule
 * ahead of the plugin's, {@code -s RANGE -d RANGE -j RETURN} in nat POSTROUTING, as flannel keeps
 * its cluster range out of masquerading. Blocking.
 */
public final class ClusterMasquerade {
  private ClusterMasquerade() {}

  private static List<String> rule(String verb, String clusterCidr) {
    List<String> argv =
        new ArrayList<>(List.of("iptables", "-w", "-t", "nat", verb, "POSTROUTING"));
    if (verb.equals("-I")) {
      argv.add("1");
    }
    argv.addAll(
        List.of(
            "-s",
            clusterCidr,
            "-d",
            clusterCidr,
            "-m",
            "comment",
            "--comment",
            "berth: pod to pod without NAT",
            "-j",
            "RETURN"));
    return argv;
  }

  /** Adds the rule for {@code clusterCidr} unless it is there. */
  public static void exempt(String clusterCidr) throws IOException {
    if (!HostCommand.succeeds(rule("-C", clusterCidr))) {
      HostCommand.run(rule("-I", clusterCidr));
    }
  }

  /** Takes the rule out (every copy of it); nothing when there is none. */
  public static void remove(String clusterCidr) throws IOException {
    while (HostCommand.succeeds(rule("-C", clusterCidr))) {
      HostCommand.run(rule("-D", clusterCidr));
    }
  }
}
