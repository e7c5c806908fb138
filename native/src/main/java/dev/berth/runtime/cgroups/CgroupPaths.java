package dev.berth.runtime.cgroups;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Cgroup paths as runc reads them: always below the hierarchy's root, ".." clamped there (runc's
 * CleanPath), so a bundle's linux.cgroupsPath can never name a directory outside the cgroup mounts.
 */
public final class CgroupPaths {
  private CgroupPaths() {}

  /** "/a/b" for any of "a/b", "/a/./b/", "/../../a/b"; "/" for the root itself. */
  public static String clean(String path) {
    Deque<String> parts = new ArrayDeque<>();
    for (String p : path.split("/")) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..")) {
        parts.pollLast();
      } else {
        parts.addLast(p);
      }
    }
    return "/" + String.join("/", parts);
  }

  /** The directory of a cgroup under a hierarchy mounted at {@code root}; never outside it. */
  public static Path under(Path root, String path) {
    String clean = clean(path);
    Path dir = clean.equals("/") ? root : root.resolve(clean.substring(1));
    if (!dir.normalize().startsWith(root)) {
      throw new IllegalStateException("cgroup path " + path + " leads out of " + root);
    }
    return dir;
  }
}
