package dev.berth.runtime.init;

/**
 * The records of the berth-init plan, as {@code berth-plan.h} defines them (a test checks the two
 * agree): the tag on the wire, the field schema ('n' a u64, 's' a string) and the most berth-init
 * accepts.
 */
public enum PlanRecord {
  END(0, "", 1, "plan"),
  MODE(1, "s", 1, "plan"),
  CLONE(2, "n", 1, "linux.namespaces"),
  CGROUPNS(3, "", 1, "linux.namespaces"),
  JOIN(4, "ns", 16, "linux.namespaces"),
  MONITOR(5, "", 1, "plan"),
  HOOKPOINT(6, "", 1, "hooks"),
  EXITFILE(7, "s", 1, "plan"),
  FIFO(8, "s", 1, "plan"),
  ROOTFS(9, "s", 1, "root.path"),
  PROPAGATION(10, "n", 1, "linux.rootfsPropagation"),
  PIVOT(11, "", 1, "plan"),
  ROOT_READONLY(12, "", 1, "root.readonly"),
  HOSTNAME(13, "s", 1, "hostname"),
  DOMAINNAME(14, "s", 1, "domainname"),
  SYSCTL(15, "ss", 4096, "linux.sysctl"),
  MOUNT(16, "sssnnsn", 16384, "mounts"),
  MKNOD(17, "snnnnnn", 4096, "linux.devices"),
  BIND_NODE(18, "ss", 4096, "linux.devices"),
  SYMLINK(19, "ss", 4096, "linux.devices"),
  MASK(20, "s", 4096, "linux.maskedPaths"),
  READONLY(21, "s", 4096, "linux.readonlyPaths"),
  RLIMIT(22, "nnn", 64, "process.rlimits"),
  USER(23, "nn", 1, "process.user"),
  GROUP(24, "n", 65536, "process.user.additionalGids"),
  UMASK(25, "n", 1, "process.user.umask"),
  CAPS(26, "nnnnn", 1, "process.capabilities"),
  NO_NEW_PRIVS(27, "", 1, "process.noNewPrivileges"),
  CWD(28, "s", 1, "process.cwd"),
  CONSOLE(29, "s", 1, "console socket"),
  CONSOLE_SIZE(30, "nn", 1, "process.consoleSize"),
  ENV(31, "s", 1 << 20, "process.env"),
  ARG(32, "s", 1 << 20, "process.args"),
  WATCHDOG(33, "s", 1, "plan"),
  SECCOMP(34, "nn", 1, "linux.seccomp"),
  SECCOMP_ARCH(35, "s", 32, "linux.seccomp.architectures"),
  SECCOMP_RULE(36, "snnn", 16384, "linux.seccomp.syscalls (names)"),
  SECCOMP_ARG(37, "nnnn", 98304, "linux.seccomp.syscalls (args)"),
  SECCOMP_CACHE(38, "s", 1, "linux.seccomp");

  /** The plan's magic number, "BPL1" as a little-endian u32. */
  public static final int MAGIC = 0x314c5042;

  /** The largest plan berth-init reads. */
  public static final int MAX_BYTES = 256 << 20;

  /** MOUNT's kind bits. */
  public static final long MOUNT_FILE = 1;

  public static final long MOUNT_ON_KERNEL_FS = 2;

  /** SECCOMP's flag bits (berth-plan.h's BERTH_SECCOMP_*). */
  public static final long SECCOMP_TSYNC = 1;

  public static final long SECCOMP_LOG = 2;
  public static final long SECCOMP_SPEC_ALLOW = 4;

  /** The rules are left out: berth-init loads the SECCOMP_CACHE file or fails. */
  public static final long SECCOMP_CACHED = 8;

  private final int tag;
  private final String schema;
  private final int max;
  private final String where;

  PlanRecord(int tag, String schema, int max, String where) {
    this.tag = tag;
    this.schema = schema;
    this.max = max;
    this.where = where;
  }

  public int tag() {
    return tag;
  }

  public String schema() {
    return schema;
  }

  public int max() {
    return max;
  }

  /** The part of config.json the record comes from, for errors. */
  public String where() {
    return where;
  }
}
