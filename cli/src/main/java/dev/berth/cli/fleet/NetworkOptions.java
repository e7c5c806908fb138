package dev.berth.cli.fleet;

import dev.berth.agent.network.NetworkSettings;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** Where an agent's CNI configs and plugins are: shared by `berth agent` and `berth up`. */
final class NetworkOptions {
  @Option(
      names = "--cni-conf-dir",
      defaultValue = "/etc/berth/cni/net.d",
      description =
          "CNI network configs: the first in lexical order is the node's network (if there is"
              + " none, the agent writes one here on its pod subnet)")
  Path confDir;

  @Option(
      names = "--cni-plugin-dir",
      defaultValue = "/usr/lib/cni",
      description = "CNI plugin binaries (Debian: containernetworking-plugins)")
  List<Path> pluginDirs;

  @Option(
      names = "--bridge",
      defaultValue = "berth0",
      description =
          "the bridge of the network the agent writes into --cni-conf-dir when there is none")
  String bridge;

  @Option(
      names = "--node-address",
      description =
          "where other nodes route this node's pod subnet through (default: the address of the"
              + " default route's interface)")
  String nodeAddress;

  NetworkSettings settings() {
    return new NetworkSettings(
        confDir, pluginDirs, NetworkSettings.DEFAULT.pluginTimeout(), bridge, nodeAddress);
  }
}
