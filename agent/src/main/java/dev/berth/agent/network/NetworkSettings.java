package dev.berth.agent.network;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where a node's CNI network configs and plugin binaries are (containerd's {@code conf_dir} and
 * {@code bin_dir}), how long a plugin may take, the bridge of the network the agent writes for
 * itself when the operator configured none, and the address other nodes route this node's pod
 * subnet through (null: the source address of the host's default route).
 */
public record NetworkSettings(
    Path confDir,
    List<Path> pluginDirs,
    Duration pluginTimeout,
    String bridge,
    String nodeAddress) {
  /**
   * A Linux interface name: at most 15 bytes, no slash, colon or blank (before DEFAULT uses it).
   */
  private static final Pattern IFNAME = Pattern.compile("[a-zA-Z0-9_.\\-]{1,15}");

  /** Berth's config directory, Debian's plugins (containernetworking-plugins), bridge berth0. */
  public static final NetworkSettings DEFAULT =
      new NetworkSettings(
          Path.of("/etc/berth/cni/net.d"),
          List.of(Path.of("/usr/lib/cni")),
          Duration.ofSeconds(60),
          "berth0",
          null);

  public NetworkSettings {
    pluginDirs = List.copyOf(pluginDirs);
    if (!IFNAME.matcher(bridge).matches()) {
      throw new IllegalArgumentException(
          "bridge \"" + bridge + "\" is not an interface name (1-15 of a-z A-Z 0-9 _ . -)");
    }
  }

  /** The defaults with configs from {@code confDir} and bridge {@code bridge}. */
  public static NetworkSettings in(Path confDir, String bridge) {
    return new NetworkSettings(
        confDir, DEFAULT.pluginDirs(), DEFAULT.pluginTimeout(), bridge, DEFAULT.nodeAddress());
  }
}
