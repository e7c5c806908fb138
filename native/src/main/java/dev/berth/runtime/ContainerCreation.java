package dev.berth.runtime;

import dev.berth.model.runtime.Hooks;
import dev.berth.model.runtime.IdMapping;
import dev.berth.model.runtime.Spec;
import dev.berth.model.runtime.State;
import dev.berth.runtime.cgroups.Cgroup;
import dev.berth.runtime.cgroups.CgroupDriver;
import dev.berth.runtime.cgroups.CgroupPaths;
import dev.berth.runtime.hooks.HookRunner;
import dev.berth.runtime.init.CreatePlanner;
import dev.berth.runtime.init.InitPlan;
import dev.berth.runtime.init.InitSession;
import dev.berth.runtime.libc.Native;
import dev.berth.runtime.libc.NativeException;
import dev.berth.runtime.process.ChildProcess;
import dev.berth.runtime.process.ProcessStat;
import dev.berth.runtime.state.ContainerRecord;
import dev.berth.runtime.state.StateStore;
import dev.berth.runtime.userns.RootlessIdMaps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** create: from a bundle to a container whose process waits for start, or nothing left at all. */
final class ContainerCreation {
  private final StateStore store;
  private final CgroupDriver cgroups;
  private final ContainerStates states;
  private final Map<String, ChildProcess> monitors;

  ContainerCreation(
      StateStore store,
      CgroupDriver cgroups,
      ContainerStates states,
      Map<String, ChildProcess> monitors) {
    this.store = store;
    this.cgroups = cgroups;
    this.states = states;
    this.monitors = monitors;
  }

  private static Path rootfsOf(Path bundle, Spec spec) throws ContainerException {
    Path rootfs = Path.of(spec.root().path());
    if (!rootfs.isAbsolute()) {
      rootfs = bundle.resolve(rootfs);
    }
    if (!Files.isDirectory(rootfs)) {
      throw new ContainerException(
          "root.path: rootfs " + rootfs + " does not exist or is not a directory");
    }
    try {
      return rootfs.toRealPath();
    } catch (IOException e) {
      throw new ContainerException("root.path: cannot resolve " + rootfs + ": " + e.getMessage());
    }
  }

  /** Sets the container up to the point where only the user program's exec remains. */
  State create(String id, Path bundle, CreateOptions options) throws ContainerException {
    StateStore.requireValidId(id);
    boolean rootless = Native.libc().geteuid() != 0;
    Path bundleDir = bundle.toAbsolutePath().normalize();
    Spec spec = ContainerRuntime.loadBundle(bundleDir);
    if (rootless && !newUserNamespace(spec)) {
      // Said before anything is made: without one the first mount fails obscurely.
      throw new ContainerException(
          "cannot create container \""
              + id
              + "\": the runtime runs as uid "
              + Native.libc().geteuid()
              + ", so the container needs a user namespace of its own (linux.namespaces \"user\""
              + " with uidMappings and gidMappings, as `runc spec --rootless` writes)");
    }
    Path rootfs = rootfsOf(bundleDir, spec);
    Path dir = store.claim(id);
    Cgroup cgroup = null;
    InitSession session = null;
    int pid = -1;
    try {
      Path fifo = store.execFifo(id);
      Native.mkfifo(fifo.toString(), 0622);
      String cgroupPath = cgroupPathOf(id, spec);
      Hooks hooks = spec.hooks();
      boolean earlyHooks =
          hooks != null
              && (notEmpty(hooks.prestart())
                  || notEmpty(hooks.createRuntime())
                  || notEmpty(hooks.createContainer()));
      InitPlan plan =
          CreatePlanner.plan(
              new CreatePlanner.Request(
                  spec,
                  bundleDir,
                  rootfs,
                  fifo,
                  options.monitor() ? store.exitFile(id) : null,
                  options.watchdog(),
                  options.consoleSocket(),
                  options.noPivot(),
                  earlyHooks,
                  cgroups,
                  cgroupPath,
                  store.seccompCache()));
      // berth-init execs and connects while the cgroup is made: the two do not depend on each
      // other.
      session = InitSession.launch(store.initSocket(id), options.stdio());
      cgroup = cgroups.create(cgroupPath, spec.linux() == null ? null : spec.linux().resources());
      session.send(plan);
      pid = session.awaitPid();
      cgroup.addProcess(pid);
      writeIdMappings(pid, spec);
      if (spec.process().oomScoreAdj() != null) {
        writeProcFile(pid, "oom_score_adj", spec.process().oomScoreAdj().toString());
      }
      session.go();
      long startTime = ProcessStat.of(pid).map(ProcessStat::startTime).orElse(0L);
      ContainerRecord record =
          new ContainerRecord(
              id,
              pid,
              startTime,
              bundleDir.toString(),
              rootfs.toString(),
              Instant.now().toString(),
              cgroupPath,
              cgroup.createdAncestors(),
              options.monitor(),
              spec);
      if (earlyHooks) {
        session.awaitHookPoint();
        State creating = states.toState(record, ContainerStatus.CREATING);
        HookRunner.run("hooks.prestart", hooks.prestart(), creating);
        HookRunner.run("hooks.createRuntime", hooks.createRuntime(), creating);
        HookRunner.run("hooks.createContainer", hooks.createContainer(), creating);
        session.resume();
      }
      store.write(
          record); // while the container mounts and pivots; a failure below removes it again
      session.awaitReady();
      if (options.monitor()) {
        monitors.put(id, session.helper());
      }
      if (options.pidFile() != null) {
        PidFiles.write(options.pidFile(), pid);
      }
      session.close();
      return states.toState(record, ContainerStatus.CREATED);
    } catch (ContainerException | RuntimeException e) {
      if (session != null) {
        session.abort();
      }
      if (pid > 0) {
        Native.kill(pid, ContainerSignals.SIGKILL);
        ContainerSignals.awaitDeath(pid);
      }
      if (cgroup != null) {
        try {
          cgroup.destroy(cgroup.createdAncestors());
        } catch (ContainerException ce) {
          e.addSuppressed(ce);
        }
      }
      store.remove(id);
      monitors.remove(id);
      if (e instanceof NativeException ne) {
        throw new ContainerException("create " + id + ": " + ne.getMessage(), ne);
      }
      throw e;
    }
  }

  private static boolean notEmpty(List<?> l) {
    return l != null && !l.isEmpty();
  }

  private static String cgroupPathOf(String id, Spec spec) throws ContainerException {
    String p = spec.linux() == null ? null : spec.linux().cgroupsPath();
    if (p == null || p.isEmpty()) {
      // Directly below the root, as runc and crun do: no shared parent to create and remove per
      // container.
      return "/berth-" + id;
    }
    // A relative path is placed below the cgroup root, like an absolute one (documented in
    // docs/runtime.md);
    // ".." stops at the root, as in runc.
    String clean = CgroupPaths.clean(p);
    if (clean.equals("/")) {
      throw new ContainerException("linux.cgroupsPath: \"" + p + "\" names the cgroup root itself");
    }
    return clean;
  }

  private static boolean newUserNamespace(Spec spec) {
    return spec.linux() != null
        && spec.linux().namespaces() != null
        && spec.linux().namespaces().stream()
            .anyMatch(n -> n.type().equals("user") && (n.path() == null || n.path().isEmpty()));
  }

  private void writeIdMappings(int pid, Spec spec) throws ContainerException {
    if (spec.linux() == null || spec.linux().namespaces() == null) {
      return;
    }
    if (!newUserNamespace(spec)) {
      return;
    }
    if (Native.libc().geteuid() != 0) {
      RootlessIdMaps.write(pid, spec.linux().uidMappings(), spec.linux().gidMappings());
      return;
    }
    writeProcFile(pid, "uid_map", mappings(spec.linux().uidMappings()));
    writeProcFile(pid, "gid_map", mappings(spec.linux().gidMappings()));
  }

  private static String mappings(List<IdMapping> maps) {
    StringBuilder sb = new StringBuilder();
    for (IdMapping m : maps) {
      sb.append(m.containerID())
          .append(' ')
          .append(m.hostID())
          .append(' ')
          .append(m.size())
          .append('\n');
    }
    return sb.toString();
  }

  private static void writeProcFile(int pid, String name, String value) throws ContainerException {
    Path file = Path.of("/proc", Integer.toString(pid), name);
    try {
      Files.writeString(file, value);
    } catch (IOException e) {
      throw new ContainerException("cannot write " + file + ": " + e.getMessage());
    }
  }
}
