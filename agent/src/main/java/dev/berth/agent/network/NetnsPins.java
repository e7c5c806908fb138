package dev.berth.agent.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Network namespaces that outlive their processes, pinned by a bind mount: CNI configures one
 * before the container's process exists, the container joins it by path, and it goes when the
 * container is removed. On a host, under /run/netns as iproute2 makes them ({@code ip netns add});
 * for an agent in a user namespace of its own (rootless), under its state directory, made with
 * util-linux's {@code unshare --net=FILE} (iproute2's directory belongs to the host's root).
 */
public final class NetnsPins {
  private final Path dir;
  private final boolean iproute2;

  private NetnsPins(Path dir, boolean iproute2) {
    this.dir = dir;
    this.iproute2 = iproute2;
  }

  /** Namespaces as {@code ip netns} keeps them, in /run/netns. */
  public static NetnsPins host() {
    return new NetnsPins(Path.of("/run/netns"), true);
  }

  /** Namespaces pinned on files in {@code dir} (made when missing, 0700). */
  public static NetnsPins under(Path dir) {
    return new NetnsPins(dir, false);
  }

  /** The path of the pinned namespace {@code name}. */
  public Path path(String name) {
    return dir.resolve(name);
  }

  /** Creates the namespace {@code name} (with only a loopback, down); an existing one is kept. */
  public Path create(String name) throws IOException {
    Path p = path(name);
    if (iproute2) {
      if (!Files.exists(p)) {
        HostCommand.run(List.of("ip", "netns", "add", name));
      }
      return p;
    }
    if (Files.exists(p) && pinned(p)) {
      return p;
    }
    Files.createDirectories(dir);
    if (!Files.exists(p)) {
      Files.createFile(p);
    }
    HostCommand.run(List.of("unshare", "--net=" + p, "true"));
    return p;
  }

  /** Unpins and removes the namespace; nothing when it is gone already. */
  public void delete(String name) throws IOException {
    Path p = path(name);
    if (!Files.exists(p)) {
      return;
    }
    if (iproute2) {
      HostCommand.run(List.of("ip", "netns", "delete", name));
      return;
    }
    if (pinned(p)) {
      HostCommand.run(List.of("umount", p.toString()));
    }
    Files.deleteIfExists(p);
  }

  /**
   * Whether the namespace {@code name} is still there to detach from. A rootless agent's pins are
   * mounts in its own mount namespace: after a restart (new namespaces) only the files are left,
   * and the plugins could not even open them. Host pins are taken as there while their file is.
   */
  public boolean live(String name) throws IOException {
    Path p = path(name);
    return Files.exists(p) && (iproute2 || pinned(p));
  }

  /** Whether a namespace is bound on {@code p} (an nsfs mount in this mount namespace). */
  private static boolean pinned(Path p) throws IOException {
    String target = " " + p.toAbsolutePath() + " ";
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      if (line.contains(target) && line.contains(" - nsfs ")) {
        return true;
      }
    }
    return false;
  }
}
