package dev.berth.runtime.userns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether this process runs in the host's (initial) user namespace: its uid_map maps all 2^32 ids
 * to themselves there, and only there. A runtime started inside another user namespace (by `berth
 * up --rootless`, or as podman's rootless storage does) is root without the host's privileges, as
 * runc's userns.RunningInUserNS tells.
 */
public final class HostUserNamespace {
  private static volatile Boolean initial;

  private HostUserNamespace() {}

  /** True in the host's user namespace (and when its map cannot be read). */
  public static boolean isInitial() {
    Boolean known = initial;
    if (known == null) {
      known = read();
      initial = known;
    }
    return known;
  }

  /**
   * This process's effective uid, from /proc/self/status: what geteuid(2) says, without binding
   * libc (which costs a one-shot command such as `berth-runc state` most of its time).
   */
  public static long effectiveUid() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // below
    }
    throw new IllegalStateException("/proc/self/status has no Uid line");
  }

  private static boolean read() {
    try {
      String map = Files.readString(Path.of("/proc/self/uid_map")).trim();
      return map.replaceAll("\\s+", " ").equals("0 0 4294967295");
    } catch (IOException e) {
      return true;
    }
  }
}
