package dev.berth.runtime.init;

import java.util.Arrays;
import java.util.Optional;

/**
 * The Linux namespaces a container can have: spec name, clone flag and /proc/PID/ns entry, in join
 * order.
 */
public enum NamespaceKind {
  // Order matters when joining: the user namespace first, so the others are joined with its
  // privileges.
  USER("user", 0x10000000L, "user"),
  IPC("ipc", 0x08000000L, "ipc"),
  UTS("uts", 0x04000000L, "uts"),
  NETWORK("network", 0x40000000L, "net"),
  PID("pid", 0x20000000L, "pid"),
  MOUNT("mount", 0x00020000L, "mnt"),
  CGROUP("cgroup", 0x02000000L, "cgroup"),
  TIME("time", 0x00000080L, "time");

  private final String specName;
  private final long cloneFlag;
  private final String procName;

  NamespaceKind(String specName, long cloneFlag, String procName) {
    this.specName = specName;
    this.cloneFlag = cloneFlag;
    this.procName = procName;
  }

  public String specName() {
    return specName;
  }

  public long cloneFlag() {
    return cloneFlag;
  }

  public String procName() {
    return procName;
  }

  public static Optional<NamespaceKind> of(String specName) {
    return Arrays.stream(values()).filter(k -> k.specName.equals(specName)).findFirst();
  }
}
