package dev.berth.agent.security;

import dev.berth.model.runtime.LinuxDevice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The host's device nodes under /dev, as runc's and containerd's host-device lists walk them: what
 * a privileged container is given. The directories a container gets its own of (pts, shm, mqueue)
 * and the console and ptmx (its own too) are left out.
 */
public final class HostDevices {
  private static final Set<String> SKIPPED_DIRS =
      Set.of("pts", "shm", "fd", "mqueue", ".lxc", ".lxd-mounts", ".udev");
  private static final Set<String> SKIPPED_NODES = Set.of("console", "ptmx");

  /** Bounded: a /dev that is not one is not walked for ever. */
  private static final int MAX_NODES = 4096;

  private HostDevices() {}

  /** The device nodes below {@code dev} (the host's /dev), with their numbers, modes and owners. */
  public static List<LinuxDevice> under(Path dev) throws IOException {
    List<LinuxDevice> out = new ArrayList<>();
    walk(dev, dev, out, 0);
    return out;
  }

  private static void walk(Path root, Path dir, List<LinuxDevice> out, int depth)
      throws IOException {
    if (depth > 8) {
      return;
    }
    List<Path> entries;
    try (Stream<Path> s = Files.list(dir)) {
      entries = s.sorted().toList();
    }
    for (Path p : entries) {
      String name = p.getFileName().toString();
      if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        if (!SKIPPED_DIRS.contains(name)) {
          walk(root, p, out, depth + 1);
        }
        continue;
      }
      if (SKIPPED_NODES.contains(name) || out.size() >= MAX_NODES) {
        continue;
      }
      PosixFileAttributes a;
      String type;
      try {
        a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        type = a.isOther() ? type(p) : null; // not a regular file, directory or link
      } catch (IOException e) {
        continue; // gone meanwhile
      }
      if (type == null) {
        continue;
      }
      long rdev =
          ((Number) Files.getAttribute(p, "unix:rdev", LinkOption.NOFOLLOW_LINKS)).longValue();
      long uid =
          ((Number) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
      long gid =
          ((Number) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS)).longValue();
      out.add(
          new LinuxDevice(
              "/dev/" + root.relativize(p),
              type,
              major(rdev),
              minor(rdev),
              mode(a.permissions()),
              uid,
              gid,
              null));
    }
  }

  /** "c" or "b" from the file type in st_mode; null for fifos and sockets. */
  private static String type(Path p) throws IOException {
    int mode = ((Number) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)).intValue();
    return switch (mode & 0170000) {
      case 0020000 -> "c";
      case 0060000 -> "b";
      default -> null;
    };
  }

  /** glibc's gnu_dev_major. */
  static long major(long dev) {
    return ((dev >>> 8) & 0xfff) | ((dev >>> 32) & 0xfffff000L);
  }

  /** glibc's gnu_dev_minor. */
  static long minor(long dev) {
    return (dev & 0xff) | ((dev >>> 12) & 0xffffff00L);
  }

  private static int mode(Set<PosixFilePermission> permissions) {
    int mode = 0;
    for (PosixFilePermission p : permissions) {
      mode |= 1 << (8 - p.ordinal());
    }
    return mode;
  }
}
