package dev.berth.agent.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Network namespaces that outlive their processes, pinned by a bind mount under /run/netns as
 * iproute2 makes them ({@code ip netns add}): CNI configures one before the container's process
 * exists, the container joins it by path, and it goes when the container is removed.
 */
public final class NetnsPins {
  private static final Path DIR = Path.of("/run/netns");

  private NetnsPins() {}

  /** The path of the pinned namespace {@code name}. */
  public static Path path(String name) {
    return DIR.resolve(name);
  }

  /** Creates the namespace {@code name} (with only a loopback, down); an existing one is kept. */
  public static Path create(String name) throws IOException {
    Path p = path(name);
    if (!Files.exists(p)) {
      ip("add", name);
    }
    return p;
  }

  /** Unpins and removes the namespace; nothing when it is gone already. */
  public static void delete(String name) throws IOException {
    if (Files.exists(path(name))) {
      ip("delete", name);
    }
  }

  private static void ip(String verb, String name) throws IOException {
    HostCommand.run(List.of("ip", "netns", verb, name));
  }
}
