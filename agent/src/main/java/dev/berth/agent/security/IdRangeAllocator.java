package dev.berth.agent.security;

import dev.berth.runtime.userns.IdRange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Gives each container of the node a range of host ids of its own for its user namespace (as
 * Podman's --userns=auto and the kubelet's user namespaces do): 65536 ids, so its ids 0..65535 are
 * host ids no other container and no host user has. A container's range is kept beside its bundle
 * ({@code userns}), so an agent restart finds the ranges in use; it is free again once the bundle
 * is gone.
 */
public final class IdRangeAllocator {
  /** Ids a container sees: 0..65535, as an ordinary system's. */
  public static final long SIZE = 65536;

  /** Where the ranges start: above the ids of any ordinary host user (and /etc/subuid's). */
  public static final long FIRST = 1L << 20;

  /** Ranges on one node: far more than the containers one node runs. */
  public static final int MAX_RANGES = 4096;

  private static final String FILE = "userns";

  private final Path bundles;
  private final Map<String, Integer> byContainer = new HashMap<>();

  public IdRangeAllocator(Path bundles) {
    this.bundles = bundles;
  }

  /** The range of container {@code id}: the one it has, else the lowest free one (recorded). */
  public synchronized IdRange rangeFor(String id) throws IOException {
    Integer known = byContainer.get(id);
    if (known == null) {
      known = recorded(id);
    }
    if (known == null) {
      known = lowestFree();
      Files.writeString(bundles.resolve(id).resolve(FILE), Long.toString(hostId(known)));
    }
    byContainer.put(id, known);
    return new IdRange(hostId(known), SIZE);
  }

  /** Forgets container {@code id}'s range (its bundle, which records it, is being removed). */
  public synchronized void release(String id) {
    byContainer.remove(id);
  }

  private static long hostId(int index) {
    return FIRST + index * SIZE;
  }

  private Integer recorded(String id) throws IOException {
    Path f = bundles.resolve(id).resolve(FILE);
    if (!Files.exists(f)) {
      return null;
    }
    try {
      long host = Long.parseLong(Files.readString(f).trim());
      long offset = host - FIRST;
      if (offset < 0 || offset % SIZE != 0 || offset / SIZE >= MAX_RANGES) {
        return null;
      }
      return (int) (offset / SIZE);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private int lowestFree() throws IOException {
    TreeSet<Integer> used = new TreeSet<>(byContainer.values());
    if (Files.isDirectory(bundles)) {
      try (Stream<Path> dirs = Files.list(bundles)) {
        for (Path d : dirs.toList()) {
          Integer r = recorded(d.getFileName().toString());
          if (r != null) {
            used.add(r);
          }
        }
      }
    }
    for (int i = 0; i < MAX_RANGES; i++) {
      if (!used.contains(i)) {
        return i;
      }
    }
    throw new IOException(
        "no user namespace range left on this node (" + MAX_RANGES + " containers hold one)");
  }
}
