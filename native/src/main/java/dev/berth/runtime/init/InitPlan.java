package dev.berth.runtime.init;

import dev.berth.runtime.ContainerException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The plan sent to berth-init, one typed method per record. Records are framed by their length and
 * every string by its own (see berth-plan.h), so no value can be read as an instruction; each
 * record's count is bounded as berth-init bounds it, and going over fails here, naming the part of
 * config.json.
 */
public final class InitPlan {
  /** The kernel's limit for one argument or environment string (MAX_ARG_STRLEN), with its NUL. */
  public static final int MAX_ARG_STRLEN = 131072;

  /** What berth-init does with the plan. */
  public enum Mode {
    CREATE("create"),
    EXEC("exec");

    private final String wire;

    Mode(String wire) {
      this.wire = wire;
    }
  }

  private final ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
  private final int[] counts = new int[PlanRecord.values().length];

  public InitPlan(Mode mode) throws ContainerException {
    writeInt(PlanRecord.MAGIC);
    put(PlanRecord.MODE, mode.wire);
  }

  public InitPlan cloneFlags(long flags) throws ContainerException {
    return put(PlanRecord.CLONE, flags);
  }

  /** Unshares a cgroup namespace once the process is in its cgroup, so that cgroup is its root. */
  public InitPlan cgroupNamespace() throws ContainerException {
    return put(PlanRecord.CGROUPNS);
  }

  public InitPlan join(long cloneFlag, String nsPath) throws ContainerException {
    return put(PlanRecord.JOIN, cloneFlag, nsPath);
  }

  /** berth-init stays as the process's parent and exits with its status. */
  public InitPlan monitor() throws ContainerException {
    return put(PlanRecord.MONITOR);
  }

  /** Where the monitor records the exit status. */
  public InitPlan exitFile(Path file) throws ContainerException {
    return put(PlanRecord.EXITFILE, file.toString());
  }

  /**
   * The monitor kills the container once the deadline in {@code deadlineFile} (CLOCK_MONOTONIC
   * milliseconds) has passed or the file is gone.
   */
  public InitPlan watchdog(Path deadlineFile) throws ContainerException {
    return put(PlanRecord.WATCHDOG, deadlineFile.toString());
  }

  /** A seccomp filter: its default action (a SECCOMP_RET_* value) and flag bits. */
  public InitPlan seccomp(long defaultAction, long flags) throws ContainerException {
    return put(PlanRecord.SECCOMP, defaultAction, flags);
  }

  /** An architecture of the filter, by libseccomp's name. */
  public InitPlan seccompArch(String name) throws ContainerException {
    return put(PlanRecord.SECCOMP_ARCH, name);
  }

  /**
   * A rule: the syscall, its action, and its conditions (SECCOMP_ARG records first..first+count).
   */
  public InitPlan seccompRule(String syscall, long action, long firstArg, long args)
      throws ContainerException {
    return put(PlanRecord.SECCOMP_RULE, syscall, action, firstArg, args);
  }

  /** Where the filter compiled from these seccomp records is kept (read when it is there). */
  public InitPlan seccompCache(Path file) throws ContainerException {
    return put(PlanRecord.SECCOMP_CACHE, file.toString());
  }

  /** A condition: argument index, libseccomp comparison, value, second value. */
  public InitPlan seccompArg(long index, long op, long value, long valueTwo)
      throws ContainerException {
    return put(PlanRecord.SECCOMP_ARG, index, op, value, valueTwo);
  }

  /** Stops after the mounts (before pivot_root) so that Java can run the early hooks. */
  public InitPlan hookPoint() throws ContainerException {
    return put(PlanRecord.HOOKPOINT);
  }

  public InitPlan fifo(Path fifo) throws ContainerException {
    return put(PlanRecord.FIFO, fifo.toString());
  }

  public InitPlan rootfs(Path rootfs) throws ContainerException {
    return put(PlanRecord.ROOTFS, rootfs.toString());
  }

  public InitPlan rootPropagation(long flags) throws ContainerException {
    return put(PlanRecord.PROPAGATION, flags);
  }

  public InitPlan pivotRoot() throws ContainerException {
    return put(PlanRecord.PIVOT);
  }

  public InitPlan rootReadonly() throws ContainerException {
    return put(PlanRecord.ROOT_READONLY);
  }

  public InitPlan hostname(String name) throws ContainerException {
    return put(PlanRecord.HOSTNAME, name);
  }

  public InitPlan domainname(String name) throws ContainerException {
    return put(PlanRecord.DOMAINNAME, name);
  }

  /** A sysctl as its path below /proc/sys ("net/ipv4/ip_forward"). */
  public InitPlan sysctl(String procPath, String value) throws ContainerException {
    return put(PlanRecord.SYSCTL, procPath, value);
  }

  /**
   * A mount at a destination inside the container, resolved by berth-init inside the rootfs when it
   * is made. {@code kind} is {@link PlanRecord#MOUNT_FILE} and {@link
   * PlanRecord#MOUNT_ON_KERNEL_FS} bits.
   */
  public InitPlan mount(
      String source,
      String destination,
      String fstype,
      long flags,
      long propagation,
      String data,
      long kind)
      throws ContainerException {
    return put(PlanRecord.MOUNT, source, destination, fstype, flags, propagation, data, kind);
  }

  public InitPlan mknod(String path, int type, long major, long minor, int mode, long uid, long gid)
      throws ContainerException {
    return put(PlanRecord.MKNOD, path, (long) type, major, minor, (long) mode, uid, gid);
  }

  /**
   * A host device bound onto a file in the container (mknod is refused inside a user namespace).
   */
  public InitPlan bindNode(String hostPath, String path) throws ContainerException {
    return put(PlanRecord.BIND_NODE, hostPath, path);
  }

  public InitPlan symlink(String target, String path) throws ContainerException {
    return put(PlanRecord.SYMLINK, target, path);
  }

  public InitPlan maskedPath(String path) throws ContainerException {
    return put(PlanRecord.MASK, path);
  }

  public InitPlan readonlyPath(String path) throws ContainerException {
    return put(PlanRecord.READONLY, path);
  }

  public InitPlan rlimit(int resource, long soft, long hard) throws ContainerException {
    return put(PlanRecord.RLIMIT, (long) resource, soft, hard);
  }

  public InitPlan user(long uid, long gid) throws ContainerException {
    return put(PlanRecord.USER, uid, gid);
  }

  public InitPlan additionalGroup(long gid) throws ContainerException {
    return put(PlanRecord.GROUP, gid);
  }

  public InitPlan umask(long umask) throws ContainerException {
    return put(PlanRecord.UMASK, umask);
  }

  public InitPlan capabilities(
      long bounding, long effective, long inheritable, long permitted, long ambient)
      throws ContainerException {
    return put(PlanRecord.CAPS, bounding, effective, inheritable, permitted, ambient);
  }

  public InitPlan noNewPrivileges() throws ContainerException {
    return put(PlanRecord.NO_NEW_PRIVS);
  }

  public InitPlan cwd(String cwd) throws ContainerException {
    return put(PlanRecord.CWD, cwd);
  }

  public InitPlan consoleSocket(String path) throws ContainerException {
    return put(PlanRecord.CONSOLE, path);
  }

  public InitPlan consoleSize(int height, int width) throws ContainerException {
    return put(PlanRecord.CONSOLE_SIZE, (long) height, (long) width);
  }

  public InitPlan env(String entry) throws ContainerException {
    return put(PlanRecord.ENV, kernelString(PlanRecord.ENV, entry));
  }

  public InitPlan arg(String arg) throws ContainerException {
    return put(PlanRecord.ARG, kernelString(PlanRecord.ARG, arg));
  }

  /** How many records of a kind the plan holds. */
  public int count(PlanRecord r) {
    return counts[r.ordinal()];
  }

  /** The plan as berth-init reads it, closed by END. */
  public byte[] toBytes() throws ContainerException {
    if (out.size() + 8 > PlanRecord.MAX_BYTES) {
      throw new ContainerException(
          "the container's configuration makes a plan of "
              + out.size()
              + " bytes, more than the "
              + PlanRecord.MAX_BYTES
              + " berth-init reads");
    }
    ByteArrayOutputStream all = new ByteArrayOutputStream(out.size() + 8);
    all.writeBytes(out.toByteArray());
    all.writeBytes(
        ByteBuffer.allocate(8)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putInt(PlanRecord.END.tag())
            .putInt(0)
            .array());
    return all.toByteArray();
  }

  private static String kernelString(PlanRecord r, String s) throws ContainerException {
    if (s.length() < MAX_ARG_STRLEN / 3) {
      return s; // cannot be over the limit in UTF-8
    }
    int bytes = s.getBytes(StandardCharsets.UTF_8).length;
    if (bytes + 1 > MAX_ARG_STRLEN) {
      throw new ContainerException(
          r.where()
              + ": an entry of "
              + bytes
              + " bytes (\""
              + s.substring(0, 32)
              + "...\") is longer than the kernel passes to a program: "
              + (MAX_ARG_STRLEN - 1)
              + " bytes (MAX_ARG_STRLEN)");
    }
    return s;
  }

  private InitPlan put(PlanRecord r, Object... fields) throws ContainerException {
    if (counts[r.ordinal()] >= r.max()) {
      throw new ContainerException(
          r.where()
              + ": more than "
              + r.max()
              + " entries; Berth passes at most "
              + r.max()
              + " to a container");
    }
    String schema = r.schema();
    if (fields.length != schema.length()) {
      throw new IllegalArgumentException(
          r + " takes " + schema.length() + " fields, not " + fields.length);
    }
    ByteArrayOutputStream payload = new ByteArrayOutputStream(16);
    for (int i = 0; i < fields.length; i++) {
      if (schema.charAt(i) == 'n') {
        payload.writeBytes(le64(((Number) fields[i]).longValue()));
      } else {
        byte[] bytes = string(r, (String) fields[i]);
        payload.writeBytes(le32(bytes.length + 1));
        payload.writeBytes(bytes);
        payload.write(0);
      }
    }
    writeInt(r.tag());
    writeInt(payload.size());
    out.writeBytes(payload.toByteArray());
    counts[r.ordinal()]++;
    return this;
  }

  private static byte[] string(PlanRecord r, String s) throws ContainerException {
    if (s.indexOf('\0') >= 0) {
      throw new ContainerException(
          r.where()
              + ": a NUL byte cannot be passed to the container: \""
              + s.replace('\0', '?')
              + "\"");
    }
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private void writeInt(int v) {
    out.writeBytes(le32(v));
  }

  private static byte[] le32(int v) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
  }

  private static byte[] le64(long v) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
  }
}
