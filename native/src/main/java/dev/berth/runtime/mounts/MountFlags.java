package dev.berth.runtime.mounts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits fstab-style mount options into mount(2) flags, propagation flags and filesystem data, as
 * runc does.
 */
public record MountFlags(long flags, long propagation, String data) {
  public static final long MS_RDONLY = 1;
  public static final long MS_NOSUID = 2;
  public static final long MS_NODEV = 4;
  public static final long MS_NOEXEC = 8;
  public static final long MS_SYNCHRONOUS = 16;
  public static final long MS_REMOUNT = 32;
  public static final long MS_MANDLOCK = 64;
  public static final long MS_DIRSYNC = 128;
  public static final long MS_NOATIME = 1024;
  public static final long MS_NODIRATIME = 2048;
  public static final long MS_BIND = 4096;
  public static final long MS_REC = 16384;
  public static final long MS_UNBINDABLE = 1 << 17;
  public static final long MS_PRIVATE = 1 << 18;
  public static final long MS_SLAVE = 1 << 19;
  public static final long MS_SHARED = 1 << 20;
  public static final long MS_RELATIME = 1 << 21;
  public static final long MS_STRICTATIME = 1 << 24;

  /** Option -> {clear (0) or set (1), flag}. */
  private static final Map<String, long[]> FLAGS =
      Map.ofEntries(
          Map.entry("defaults", new long[] {1, 0}),
          Map.entry("ro", new long[] {1, MS_RDONLY}),
          Map.entry("rw", new long[] {0, MS_RDONLY}),
          Map.entry("nosuid", new long[] {1, MS_NOSUID}),
          Map.entry("suid", new long[] {0, MS_NOSUID}),
          Map.entry("nodev", new long[] {1, MS_NODEV}),
          Map.entry("dev", new long[] {0, MS_NODEV}),
          Map.entry("noexec", new long[] {1, MS_NOEXEC}),
          Map.entry("exec", new long[] {0, MS_NOEXEC}),
          Map.entry("sync", new long[] {1, MS_SYNCHRONOUS}),
          Map.entry("async", new long[] {0, MS_SYNCHRONOUS}),
          Map.entry("dirsync", new long[] {1, MS_DIRSYNC}),
          Map.entry("remount", new long[] {1, MS_REMOUNT}),
          Map.entry("mand", new long[] {1, MS_MANDLOCK}),
          Map.entry("nomand", new long[] {0, MS_MANDLOCK}),
          Map.entry("noatime", new long[] {1, MS_NOATIME}),
          Map.entry("atime", new long[] {0, MS_NOATIME}),
          Map.entry("nodiratime", new long[] {1, MS_NODIRATIME}),
          Map.entry("diratime", new long[] {0, MS_NODIRATIME}),
          Map.entry("relatime", new long[] {1, MS_RELATIME}),
          Map.entry("norelatime", new long[] {0, MS_RELATIME}),
          Map.entry("strictatime", new long[] {1, MS_STRICTATIME}),
          Map.entry("nostrictatime", new long[] {0, MS_STRICTATIME}),
          Map.entry("bind", new long[] {1, MS_BIND}),
          Map.entry("rbind", new long[] {1, MS_BIND | MS_REC}));

  private static final Map<String, Long> PROPAGATION =
      Map.of(
          "private",
          MS_PRIVATE,
          "rprivate",
          MS_PRIVATE | MS_REC,
          "shared",
          MS_SHARED,
          "rshared",
          MS_SHARED | MS_REC,
          "slave",
          MS_SLAVE,
          "rslave",
          MS_SLAVE | MS_REC,
          "unbindable",
          MS_UNBINDABLE,
          "runbindable",
          MS_UNBINDABLE | MS_REC);

  /** Options Berth accepts and leaves to other layers (idmap, copy-up, recursive read-only). */
  private static final List<String> IGNORED =
      List.of("tmpcopyup", "rro", "rrw", "idmap", "ridmap", "nosymfollow");

  public static MountFlags parse(List<String> options) {
    long flags = 0;
    long propagation = 0;
    List<String> data = new ArrayList<>();
    if (options != null) {
      for (String option : options) {
        long[] f = FLAGS.get(option);
        if (f != null) {
          flags = f[0] == 1 ? flags | f[1] : flags & ~f[1];
        } else if (PROPAGATION.containsKey(option)) {
          propagation = PROPAGATION.get(option);
        } else if (!IGNORED.contains(option)) {
          data.add(option);
        }
      }
    }
    return new MountFlags(flags, propagation, String.join(",", data));
  }

  /** The flag for a rootfsPropagation value (default rslave, as runc). */
  public static long rootPropagation(String value) {
    if (value == null || value.isEmpty()) {
      return MS_SLAVE | MS_REC;
    }
    Long p = PROPAGATION.get(value);
    return p == null ? MS_SLAVE | MS_REC : p;
  }

  public boolean isBind() {
    return (flags & MS_BIND) != 0;
  }
}
