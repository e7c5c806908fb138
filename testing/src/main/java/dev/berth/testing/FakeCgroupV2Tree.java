package dev.berth.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A plain directory laid out as the root of a cgroup v2 (unified) hierarchy, for testing the v2
 * driver on hosts that run cgroup v1: the files the driver writes can be read back, the kernel's
 * reaction to them cannot.
 */
public final class FakeCgroupV2Tree {
  /** The controllers a typical systemd host enables at the root. */
  public static final String CONTROLLERS = "cpuset cpu io memory hugetlb pids rdma misc";

  private FakeCgroupV2Tree() {}

  /**
   * Makes {@code root} look like a unified hierarchy's root with {@link #CONTROLLERS} available;
   * returns it.
   */
  public static Path create(Path root) throws IOException {
    Files.createDirectories(root);
    Files.writeString(root.resolve("cgroup.controllers"), CONTROLLERS + "\n");
    Files.writeString(root.resolve("cgroup.subtree_control"), "");
    return root;
  }
}
