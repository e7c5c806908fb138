package dev.berth.agent.network;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Where a node's CNI network configs and plugin binaries are (containerd's {@code conf_dir} and
 * {@code bin_dir}), and how long a plugin may take.
 */
public record NetworkSettings(Path confDir, List<Path> pluginDirs, Duration pluginTimeout) {
  /** Berth's config directory and Debian's plugins (containernetworking-plugins). */
  public static final NetworkSettings DEFAULT =
      new NetworkSettings(
          Path.of("/etc/berth/cni/net.d"),
          List.of(Path.of("/usr/lib/cni")),
          Duration.ofSeconds(60));

  public NetworkSettings {
    pluginDirs = List.copyOf(pluginDirs);
  }
}
