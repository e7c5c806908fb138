package dev.berth.runtime.cgroups;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Finds the cgroup layout of this host from /proc/self/mountinfo and picks the matching driver. */
public final class CgroupHierarchies {
  /** A v1 hierarchy: where it is mounted and which controllers it carries. */
  public record Hierarchy(Path mountPoint, List<String> controllers) {}

  private CgroupHierarchies() {}

  /** The driver for this host: v2 when /sys/fs/cgroup is the unified hierarchy, v1 otherwise. */
  public static CgroupDriver detect() {
    Path root = Path.of("/sys/fs/cgroup");
    if (Files.exists(root.resolve("cgroup.controllers"))) {
      return new CgroupV2Driver(root);
    }
    return new CgroupV1Driver(v1Hierarchies(Path.of("/proc/self/mountinfo")));
  }

  /**
   * The v1 hierarchies with at least one controller (named-only ones such as name=systemd are left
   * alone).
   */
  public static List<Hierarchy> v1Hierarchies(Path mountinfo) {
    List<Hierarchy> out = new ArrayList<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(mountinfo);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + mountinfo + ": " + e.getMessage(), e);
    }
    for (String line : lines) {
      int sep = line.indexOf(" - ");
      if (sep < 0) {
        continue;
      }
      String[] pre = line.substring(0, sep).split(" ");
      String[] post = line.substring(sep + 3).split(" ");
      if (post.length < 3 || !post[0].equals("cgroup")) {
        continue;
      }
      List<String> controllers =
          Arrays.stream(post[2].split(","))
              .filter(
                  o ->
                      !o.equals("rw")
                          && !o.equals("ro")
                          && !o.startsWith("name=")
                          && !o.equals("clone_children")
                          && !o.startsWith("release_agent")
                          && !o.equals("noprefix")
                          && !o.equals("xattr")
                          && !o.equals("cpuset_v2_mode"))
              .toList();
      if (!controllers.isEmpty()) {
        out.add(new Hierarchy(Path.of(pre[4]), controllers));
      }
    }
    return out;
  }
}
