package dev.berth.agent.local;

import java.nio.file.Path;

/**
 * Where local containers (`berth run`, daemonless as Podman's) keep things: {@code root} for their
 * bundles, names, rootfs snapshots and network, {@code images} the store `berth image` fills, and
 * {@code runtimeState} the runtime's state (tmpfs: gone at reboot with the containers themselves).
 */
public record LocalLayout(Path root, Path images, Path runtimeState) {
  public static final LocalLayout DEFAULT =
      new LocalLayout(
          Path.of("/var/lib/berth/local"),
          Path.of("/var/lib/berth/images"),
          Path.of("/run/berth/local"));

  public Path snapshots() {
    return root.resolve("snapshots");
  }

  public Path containers() {
    return root.resolve("containers");
  }

  /** A container's directory: its bundle (config.json, logs, name files) and its record. */
  public Path container(String id) {
    return containers().resolve(id);
  }

  /** One symbolic link per name, to the id: made atomically, so a name has one container. */
  public Path names() {
    return root.resolve("names");
  }

  /**
   * The bridge its containers join: berth-local0 for the default root; another root has a bridge
   * (and addresses) of its own, named by its path's digest (an interface name is at most 15 bytes).
   */
  public String bridge() {
    if (root.equals(DEFAULT.root())) {
      return "berth-local0";
    }
    try {
      byte[] d =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(
                  root.toAbsolutePath()
                      .toString()
                      .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return "berth-" + java.util.HexFormat.of().formatHex(d).substring(0, 9);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  public Path networkConfigs() {
    return root.resolve("cni/net.d");
  }

  public Path ipam() {
    return root.resolve("cni/ipam");
  }
}
