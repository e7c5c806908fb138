package dev.berth.runtime.mounts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Which mounts may cover /proc and /sys, as runc decides: /proc only by a proc mount (or a bind of
 * a procfs), nothing inside /proc but the few files lxcfs emulates, /sys only by sysfs (or a bind
 * of a sysfs). A fake /proc would let a container hide or forge what tools trust there.
 */
public final class KernelFsMounts {
  /** The /proc files lxcfs overlays, the only mounts runc allows inside /proc. */
  private static final Set<String> LXCFS_FILES =
      Set.of(
          "proc/cpuinfo",
          "proc/diskstats",
          "proc/meminfo",
          "proc/stat",
          "proc/swaps",
          "proc/uptime",
          "proc/loadavg",
          "proc/slabinfo",
          "proc/net/dev",
          "proc/sys/kernel/ns_last_pid");

  private KernelFsMounts() {}

  /** Thrown for a mount that must not be made. */
  public static final class RefusedException extends Exception {
    RefusedException(String message) {
      super(message);
    }
  }

  /**
   * Whether the mount may land on procfs or sysfs; throws when it may not be made at all.
   *
   * @param inRootfs the destination resolved inside the rootfs, relative to it ("proc/cpuinfo")
   * @param type the mount's type, "" for a bind
   * @param bindSource the host path of a bind's source, or null
   */
  public static boolean mayCoverKernelFs(String inRootfs, String type, Path bindSource)
      throws RefusedException {
    if (bindSource == null && (type.equals("proc") || type.equals("sysfs"))) {
      return true;
    }
    if (inRootfs.equals("proc")) {
      if (bindSource != null && "proc".equals(fsType(bindSource))) {
        return true;
      }
      throw new RefusedException("\"/proc\" cannot be mounted because it is not of type proc");
    }
    if (inRootfs.startsWith("proc/")) {
      if (LXCFS_FILES.contains(inRootfs)) {
        return true;
      }
      throw new RefusedException(
          "\"/" + inRootfs + "\" cannot be mounted because it is inside /proc");
    }
    if (inRootfs.equals("sys")) {
      if (bindSource != null && "sysfs".equals(fsType(bindSource))) {
        return true;
      }
      throw new RefusedException("\"/sys\" cannot be mounted because it is not of type sysfs");
    }
    return inRootfs.startsWith("sys/");
  }

  private static String fsType(Path p) {
    try {
      return Files.getFileStore(p).type();
    } catch (IOException e) {
      return "";
    }
  }
}
