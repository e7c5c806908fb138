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
          "CNI network configs: the first in lexical order is the node's network (berth up writes"
              + " the default network berth here if there is none)")
  Path confDir;

  @Option(
      names = "--cni-plugin-dir",
      defaultValue = "/usr/lib/cni",
      description = "CNI plugin binaries (Debian: containernetworking-plugins)")
  List<Path> pluginDirs;

  NetworkSettings settings() {
    return new NetworkSettings(confDir, pluginDirs, NetworkSettings.DEFAULT.pluginTimeout());
  }
}
