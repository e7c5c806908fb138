package dev.berth.runtime.process;

import java.util.List;

/** Linux capability names in kernel order, and their bit masks. */
public final class CapabilityNames {
  /** Index = capability number (linux/capability.h). */
  public static final List<String> ALL =
      List.of(
          "CAP_CHOWN",
          "CAP_DAC_OVERRIDE",
          "CAP_DAC_READ_SEARCH",
          "CAP_FOWNER",
          "CAP_FSETID",
          "CAP_KILL",
          "CAP_SETGID",
          "CAP_SETUID",
          "CAP_SETPCAP",
          "CAP_LINUX_IMMUTABLE",
          "CAP_NET_BIND_SERVICE",
          "CAP_NET_BROADCAST",
          "CAP_NET_ADMIN",
          "CAP_NET_RAW",
          "CAP_IPC_LOCK",
          "CAP_IPC_OWNER",
          "CAP_SYS_MODULE",
          "CAP_SYS_RAWIO",
          "CAP_SYS_CHROOT",
          "CAP_SYS_PTRACE",
          "CAP_SYS_PACCT",
          "CAP_SYS_ADMIN",
          "CAP_SYS_BOOT",
          "CAP_SYS_NICE",
          "CAP_SYS_RESOURCE",
          "CAP_SYS_TIME",
          "CAP_SYS_TTY_CONFIG",
          "CAP_MKNOD",
          "CAP_LEASE",
          "CAP_AUDIT_WRITE",
          "CAP_AUDIT_CONTROL",
          "CAP_SETFCAP",
          "CAP_MAC_OVERRIDE",
          "CAP_MAC_ADMIN",
          "CAP_SYSLOG",
          "CAP_WAKE_ALARM",
          "CAP_BLOCK_SUSPEND",
          "CAP_AUDIT_READ",
          "CAP_PERFMON",
          "CAP_BPF",
          "CAP_CHECKPOINT_RESTORE");

  private CapabilityNames() {}

  /** The names of the capabilities in {@code mask} that this table knows. */
  public static List<String> names(long mask) {
    List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i < ALL.size(); i++) {
      if ((mask & (1L << i)) != 0) {
        out.add(ALL.get(i));
      }
    }
    return List.copyOf(out);
  }

  /**
   * The capabilities this process may pass on (its permitted set): what a privileged container
   * gets, as containerd's WithAllCurrentCapabilities, since a capability the runtime lacks (in a
   * sandbox, say) cannot be given.
   */
  public static List<String> permittedHere() throws java.io.IOException {
    for (String line :
        java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
      if (line.startsWith("CapPrm:")) {
        return names(Long.parseUnsignedLong(line.substring("CapPrm:".length()).trim(), 16));
      }
    }
    throw new java.io.IOException("/proc/self/status has no CapPrm line");
  }

  /**
   * The bit mask of the named capabilities. Names this kernel table does not know are skipped, as
   * runc warns and skips them, so that a config written for a newer kernel still runs.
   */
  public static long mask(List<String> names) {
    long mask = 0;
    if (names != null) {
      for (String n : names) {
        int i = ALL.indexOf(n);
        if (i >= 0) {
          mask |= 1L << i;
        }
      }
    }
    return mask;
  }
}
