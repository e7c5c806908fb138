package dev.berth.runtime.init;

import dev.berth.model.runtime.Linux;
import dev.berth.model.runtime.LinuxDevice;
import dev.berth.model.runtime.LinuxNamespace;
import dev.berth.model.runtime.Mount;
import dev.berth.model.runtime.Spec;
import dev.berth.runtime.ContainerException;
import dev.berth.runtime.cgroups.CgroupDriver;
import dev.berth.runtime.mounts.KernelFsMounts;
import dev.berth.runtime.mounts.MountFlags;
import dev.berth.runtime.mounts.RootfsPaths;
import dev.berth.runtime.userns.HostUserNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Turns a validated bundle into the plan berth-init carries out for `create`. */
public final class CreatePlanner {
  private static final int S_IFCHR = 0020000;
  private static final int S_IFBLK = 0060000;
  private static final int S_IFIFO = 0010000;

  /** The devices every container gets, as runc creates them: name, major, minor. */
  private static final List<Object[]> DEFAULT_DEVICES =
      List.of(
          new Object[] {"null", 1, 3},
          new Object[] {"zero", 1, 5},
          new Object[] {"full", 1, 7},
          new Object[] {"random", 1, 8},
          new Object[] {"urandom", 1, 9},
          new Object[] {"tty", 5, 0});

  /** What create needs from the bundle and its options. */
  public record Request(
      Spec spec,
      Path bundle,
      Path rootfs,
      Path fifo,
      Path exitFile,
      Path watchdog,
      String consoleSocket,
      boolean noPivot,
      boolean hooksBeforePivot,
      CgroupDriver cgroups,
      String cgroupPath,
      SeccompCache seccompCache) {}

  private CreatePlanner() {}

  public static InitPlan plan(Request r) throws ContainerException {
    Spec spec = r.spec();
    Linux linux = spec.linux() == null ? emptyLinux() : spec.linux();
    InitPlan plan = new InitPlan(InitPlan.Mode.CREATE);
    boolean newUserNs = false;
    boolean newCgroupNs = false;
    boolean hasMountNs = false;
    long cloneFlags = 0;
    if (linux.namespaces() != null) {
      for (NamespaceKind kind : NamespaceKind.values()) {
        for (LinuxNamespace ns : linux.namespaces()) {
          if (!ns.type().equals(kind.specName())) {
            continue;
          }
          if (kind == NamespaceKind.TIME) {
            throw new ContainerException(
                "linux.namespaces: the time namespace is not supported by Berth yet");
          }
          hasMountNs |= kind == NamespaceKind.MOUNT;
          if (ns.path() != null && !ns.path().isEmpty()) {
            if (!Files.exists(Path.of(ns.path()))) {
              throw new ContainerException(
                  "linux.namespaces: "
                      + kind.specName()
                      + " namespace path "
                      + ns.path()
                      + " does not exist");
            }
            plan.join(kind.cloneFlag(), ns.path());
          } else if (kind == NamespaceKind.CGROUP) {
            newCgroupNs =
                true; // unshared after the process is in its cgroup, so the cgroup is its root
          } else {
            cloneFlags |= kind.cloneFlag();
            newUserNs |= kind == NamespaceKind.USER;
          }
        }
      }
    }
    plan.cloneFlags(cloneFlags);
    if (newCgroupNs) {
      plan.cgroupNamespace();
    }
    if (r.exitFile() != null) {
      plan.monitor().exitFile(r.exitFile());
      if (r.watchdog() != null) {
        plan.watchdog(r.watchdog());
      }
    }
    if (r.hooksBeforePivot()) {
      plan.hookPoint();
    }
    plan.fifo(r.fifo());
    if (hasMountNs) {
      planRootfs(plan, r, spec, linux, newUserNs, newCgroupNs);
    }
    if (spec.hostname() != null && !spec.hostname().isEmpty()) {
      plan.hostname(spec.hostname());
    }
    if (spec.domainname() != null && !spec.domainname().isEmpty()) {
      plan.domainname(spec.domainname());
    }
    if (linux.sysctl() != null) {
      for (Map.Entry<String, String> e : linux.sysctl().entrySet()) {
        plan.sysctl(e.getKey().replace('.', '/'), e.getValue());
      }
    }
    if (r.consoleSocket() != null) {
      plan.consoleSocket(r.consoleSocket());
    }
    ProcessPlanner.plan(plan, spec.process());
    SeccompPlanner.plan(plan, linux.seccomp(), r.seccompCache());
    return plan;
  }

  /**
   * The root file system: the rootfs with its mounts, devices, masked and read-only paths, entered
   * by pivot_root. Only in a mount namespace of the container's own: without one, as the spec says
   * of a namespace that is not listed and as runc does, the process stays in the runtime's mount
   * namespace and root, and none of this is done (it would change the host).
   */
  private static void planRootfs(
      InitPlan plan, Request r, Spec spec, Linux linux, boolean newUserNs, boolean newCgroupNs)
      throws ContainerException {
    plan.rootfs(r.rootfs());
    plan.rootPropagation(MountFlags.rootPropagation(linux.rootfsPropagation()));
    if (!r.noPivot()) {
      plan.pivotRoot();
    }
    if (spec.root() != null && Boolean.TRUE.equals(spec.root().readonly())) {
      plan.rootReadonly();
    }
    List<Mount> mounts = spec.mounts() == null ? List.of() : spec.mounts();
    for (int i = 0; i < mounts.size(); i++) {
      planMount(plan, r, mounts.get(i), i, newCgroupNs);
    }
    // mknod is refused in a user namespace, the container's own or the one the runtime runs in
    planDevices(plan, r, linux, newUserNs || !HostUserNamespace.isInitial(), mounts);
    if (linux.maskedPaths() != null) {
      for (String p : linux.maskedPaths()) {
        plan.maskedPath(p);
      }
    }
    if (linux.readonlyPaths() != null) {
      for (String p : linux.readonlyPaths()) {
        plan.readonlyPath(p);
      }
    }
  }

  private static Linux emptyLinux() {
    return new Linux(null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /**
   * Checks a destination against the rootfs as it is before any mount, refusing one whose symlinks
   * lead out of it, and returns it relative to the rootfs. berth-init resolves it again, inside the
   * rootfs, when it mounts: earlier mounts may have changed what it leads to.
   */
  private static String inRootfs(Path rootfs, String destination, String where)
      throws ContainerException {
    try {
      return rootfs.relativize(RootfsPaths.resolve(rootfs, destination)).toString();
    } catch (RootfsPaths.EscapeException e) {
      throw new ContainerException(where + ": " + e.getMessage());
    }
  }

  private static void planMount(InitPlan plan, Request r, Mount m, int index, boolean newCgroupNs)
      throws ContainerException {
    String where = "mounts[" + index + "].destination";
    String dest = m.destination();
    String resolved = inRootfs(r.rootfs(), dest, where);
    MountFlags f = MountFlags.parse(m.options());
    String type = m.type() == null ? "" : m.type();
    if (type.equals("cgroup") || type.equals("cgroup2")) {
      planCgroupMount(plan, r, dest, f, newCgroupNs);
      return;
    }
    String source = m.source() == null ? type : m.source();
    boolean bind = f.isBind() || type.equals("bind");
    Path src = null;
    long kind = 0;
    if (bind) {
      src = Path.of(source);
      if (!src.isAbsolute()) {
        src = r.bundle().resolve(src);
      }
      if (!Files.exists(src)) {
        throw new ContainerException("mounts[" + index + "].source: " + src + " does not exist");
      }
      source = src.toString();
      kind = Files.isDirectory(src) ? 0 : PlanRecord.MOUNT_FILE;
    }
    try {
      if (KernelFsMounts.mayCoverKernelFs(resolved, bind ? "" : type, src)) {
        kind |= PlanRecord.MOUNT_ON_KERNEL_FS;
      }
    } catch (KernelFsMounts.RefusedException e) {
      throw new ContainerException(where + ": " + e.getMessage());
    }
    if (bind) {
      plan.mount(source, dest, "", f.flags() | MountFlags.MS_BIND, f.propagation(), "", kind);
    } else {
      plan.mount(source, dest, type, f.flags(), f.propagation(), f.data(), kind);
    }
  }

  private static void planCgroupMount(
      InitPlan plan, Request r, String dest, MountFlags f, boolean newCgroupNs)
      throws ContainerException {
    long onKernelFs = PlanRecord.MOUNT_ON_KERNEL_FS;
    long bindFlags =
        MountFlags.MS_BIND
            | MountFlags.MS_REC
            | (f.flags()
                & (MountFlags.MS_RDONLY
                    | MountFlags.MS_NOSUID
                    | MountFlags.MS_NODEV
                    | MountFlags.MS_NOEXEC));
    if (r.cgroups().version().equals("v2")) {
      if (newCgroupNs) {
        plan.mount("cgroup", dest, "cgroup2", f.flags(), 0, "", onKernelFs);
      } else {
        plan.mount(
            r.cgroups().containerView(r.cgroupPath()).get("").toString(),
            dest,
            "",
            bindFlags,
            0,
            "",
            onKernelFs);
      }
      return;
    }
    long tmpfsFlags = MountFlags.MS_NOSUID | MountFlags.MS_NODEV | MountFlags.MS_NOEXEC;
    plan.mount("tmpfs", dest, "tmpfs", tmpfsFlags, 0, "mode=755", onKernelFs);
    for (Map.Entry<String, Path> e : r.cgroups().containerView(r.cgroupPath()).entrySet()) {
      plan.mount(
          e.getValue().toString(), dest + "/" + e.getKey(), "", bindFlags, 0, "", onKernelFs);
    }
    if ((f.flags() & MountFlags.MS_RDONLY) != 0) {
      plan.mount(
          "",
          dest,
          "",
          tmpfsFlags | MountFlags.MS_REMOUNT | MountFlags.MS_RDONLY,
          0,
          "",
          onKernelFs);
    }
  }

  private static void planDevices(
      InitPlan plan, Request r, Linux linux, boolean bindNodes, List<Mount> mounts)
      throws ContainerException {
    boolean devIsBind =
        mounts.stream()
            .anyMatch(
                m ->
                    "/dev".equals(m.destination())
                        && (MountFlags.parse(m.options()).isBind() || "bind".equals(m.type())));
    if (devIsBind) {
      return; // the host's /dev, or the caller's own, is already there
    }
    inRootfs(r.rootfs(), "/dev", "/dev");
    for (Object[] d : DEFAULT_DEVICES) {
      String node = "/dev/" + d[0];
      if (bindNodes) {
        plan.bindNode(node, node); // mknod is refused inside a user namespace
      } else {
        plan.mknod(node, S_IFCHR, (Integer) d[1], (Integer) d[2], 0666, 0, 0);
      }
    }
    plan.symlink("/proc/self/fd", "/dev/fd");
    plan.symlink("/proc/self/fd/0", "/dev/stdin");
    plan.symlink("/proc/self/fd/1", "/dev/stdout");
    plan.symlink("/proc/self/fd/2", "/dev/stderr");
    plan.symlink("/proc/kcore", "/dev/core");
    if (mounts.stream().anyMatch(m -> "/dev/pts".equals(m.destination()))) {
      plan.symlink("pts/ptmx", "/dev/ptmx");
    }
    if (linux.devices() != null) {
      for (int i = 0; i < linux.devices().size(); i++) {
        LinuxDevice d = linux.devices().get(i);
        inRootfs(r.rootfs(), d.path(), "linux.devices[" + i + "].path");
        int mode = d.fileMode() == null ? 0666 : d.fileMode();
        if (bindNodes) {
          plan.bindNode(d.path(), d.path());
          continue;
        }
        int type =
            switch (d.type()) {
              case "b" -> S_IFBLK;
              case "p" -> S_IFIFO;
              default -> S_IFCHR;
            };
        plan.mknod(
            d.path(),
            type,
            d.major() == null ? 0 : d.major(),
            d.minor() == null ? 0 : d.minor(),
            mode,
            d.uid() == null ? 0 : d.uid(),
            d.gid() == null ? 0 : d.gid());
      }
    }
  }
}
