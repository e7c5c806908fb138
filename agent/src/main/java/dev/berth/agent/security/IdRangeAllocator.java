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
 * is gone. Agents sharing a machine (a lab, a test fleet) claim ranges in one host-wide directory
 * (a file per range, made exclusively, naming its container's bundle), so theirs never overlap.
 */
public final class IdRangeAllocator {
  /** Ids a container sees: 0..65535, as an ordinary system's. */
  public static final long SIZE = 65536;

  /** Where the ranges start: above the ids of any ordinary host user (and /etc/subuid's). */
  public static final long FIRST = 1L << 20;

  /** Ranges on one node: far more than the containers one node runs. */
  public static final int MAX_RANGES = 4096;

  private static final String FILE = "userns";

  /** Where the agents of this machine claim ranges (tmpfs: gone with the containers at reboot). */
  public static final Path HOST_CLAIMS = Path.of("/run/berth-userns");

  private final Path bundles;
  private final Path claims;
  private final Map<String, Integer> byContainer = new HashMap<>();

  public IdRangeAllocator(Path bundles) {
    this(bundles, HOST_CLAIMS);
  }

  public IdRangeAllocator(Path bundles, Path claims) {
    this.bundles = bundles.toAbsolutePath();
    this.claims = claims;
  }

  /** The range of container {@code id}: the one it has, else the lowest free one (recorded). */
  public synchronized IdRange rangeFor(String id) throws IOException {
    Integer known = byContainer.get(id);
    if (known == null) {
      known = recorded(id);
    }
    if (known == null) {
      known = lowestFree(id);
      Files.writeString(bundles.resolve(id).resolve(FILE), Long.toString(hostId(known)));
    } else {
      claim(known, id); // ours already, or taken again after a reboot emptied the claims
    }
    byContainer.put(id, known);
    return new IdRange(hostId(known), SIZE);
  }

  /** Gives container {@code id}'s range back, before its bundle (which records it) is removed. */
  public synchronized void release(String id) {
    Integer index = byContainer.remove(id);
    if (index == null) {
      try {
        index = recorded(id); // given by an earlier agent process
      } catch (IOException e) {
        index = null;
      }
    }
    if (index != null && owner(id).equals(claimant(index))) {
      try {
        Files.deleteIfExists(claims.resolve(Integer.toString(index)));
      } catch (IOException e) {
        // a stale claim: taken over once its bundle is seen gone
      }
    }
  }

  private String owner(String id) {
    return bundles.resolve(id).toString();
  }

  private String claimant(int index) {
    try {
      return Files.readString(claims.resolve(Integer.toString(index))).trim();
    } catch (IOException e) {
      return "";
    }
  }

  /** Claims range {@code index} for container {@code id}; false when another container has it. */
  private boolean claim(int index, String id) throws IOException {
    Files.createDirectories(claims);
    Path f = claims.resolve(Integer.toString(index));
    String me = owner(id);
    try {
      Files.writeString(
          f,
          me,
          java.nio.file.StandardOpenOption.CREATE_NEW,
          java.nio.file.StandardOpenOption.WRITE);
      return true;
    } catch (java.nio.file.FileAlreadyExistsException e) {
      String holder = claimant(index);
      if (holder.equals(me)) {
        return true;
      }
      if (!holder.isEmpty() && !Files.isDirectory(Path.of(holder))) {
        // its bundle is gone (state deleted without a removal): the range is free
        Files.writeString(f, me);
        return true;
      }
      return false;
    }
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

  private int lowestFree(String id) throws IOException {
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
      if (!used.contains(i) && claim(i, id)) {
        return i;
      }
    }
    throw new IOException(
        "no user namespace range left on this node (" + MAX_RANGES + " containers hold one)");
  }
}
