package dev.berth.runtime;

import dev.berth.model.runtime.Hooks;
import dev.berth.model.runtime.IdMapping;
import dev.berth.model.runtime.InvalidSpecException;
import dev.berth.model.runtime.OciJson;
import dev.berth.model.runtime.Process;
import dev.berth.model.runtime.Spec;
import dev.berth.model.runtime.SpecValidator;
import dev.berth.model.runtime.State;
import dev.berth.runtime.cgroups.Cgroup;
import dev.berth.runtime.cgroups.CgroupDriver;
import dev.berth.runtime.cgroups.CgroupHierarchies;
import dev.berth.runtime.cgroups.CgroupPaths;
import dev.berth.runtime.cgroups.CgroupStats;
import dev.berth.runtime.hooks.HookRunner;
import dev.berth.runtime.init.CreatePlanner;
import dev.berth.runtime.init.ExecPlanner;
import dev.berth.runtime.init.InitPlan;
import dev.berth.runtime.init.InitSession;
import dev.berth.runtime.libc.LibC;
import dev.berth.runtime.libc.Native;
import dev.berth.runtime.libc.NativeException;
import dev.berth.runtime.process.ProcessStat;
import dev.berth.runtime.state.ContainerRecord;
import dev.berth.runtime.state.StateStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The OCI runtime as an in-process Java API: create, start, state, kill, delete, pause, resume, exec,
 * ps and stats, with the runtime-spec's semantics. The runc command line and the agent both call this.
 */
public final class ContainerRuntime {
  public static final String OCI_VERSION = "1.2.0";
  private static final Logger LOG = Logger.getLogger(ContainerRuntime.class.getName());
  private static final int SIGKILL = 9;

  private final StateStore store;
  private final CgroupDriver cgroups;
  private final Map<String, java.lang.Process> monitors = new ConcurrentHashMap<>();

  public ContainerRuntime(Path stateRoot) {
    this(stateRoot, CgroupHierarchies.detect());
  }

  public ContainerRuntime(Path stateRoot, CgroupDriver cgroups) {
    this.store = new StateStore(stateRoot);
    this.cgroups = cgroups;
  }

  public CgroupDriver cgroups() {
    return cgroups;
  }

  /** Reads and checks a bundle's config.json, reporting every problem at once. */
  public static Spec loadBundle(Path bundle) throws ContainerException {
    Path config = bundle.resolve("config.json");
    if (!Files.isRegularFile(config)) {
      throw new ContainerException("bundle " + bundle + ": config.json not found");
    }
    try {
      Spec spec = OciJson.readSpec(config);
      SpecValidator.requireValid(spec);
      if (spec.process() == null) {
        throw new ContainerException(config + ": process is required to create a container");
      }
      return spec;
    } catch (InvalidSpecException e) {
      throw new ContainerException(e.getMessage(), e);
    }
  }

  private static Path rootfsOf(Path bundle, Spec spec) throws ContainerException {
    Path rootfs = Path.of(spec.root().path());
    if (!rootfs.isAbsolute()) {
      rootfs = bundle.resolve(rootfs);
    }
    if (!Files.isDirectory(rootfs)) {
      throw new ContainerException("root.path: rootfs " + rootfs + " does not exist or is not a directory");
    }
    try {
      return rootfs.toRealPath();
    } catch (IOException e) {
      throw new ContainerException("root.path: cannot resolve " + rootfs + ": " + e.getMessage());
    }
  }

  /** Sets the container up to the point where only the user program's exec remains. */
  public State create(String id, Path bundle, CreateOptions options) throws ContainerException {
    StateStore.requireValidId(id);
    Path bundleDir = bundle.toAbsolutePath().normalize();
    Spec spec = loadBundle(bundleDir);
    Path rootfs = rootfsOf(bundleDir, spec);
    Path dir = store.claim(id);
    Cgroup cgroup = null;
    InitSession session = null;
    int pid = -1;
    try {
      Path fifo = dir.resolve("exec.fifo");
      Native.mkfifo(fifo.toString(), 0622);
      String cgroupPath = cgroupPathOf(id, spec);
      Hooks hooks = spec.hooks();
      boolean earlyHooks = hooks != null && (notEmpty(hooks.prestart()) || notEmpty(hooks.createRuntime())
          || notEmpty(hooks.createContainer()));
      InitPlan plan = CreatePlanner.plan(new CreatePlanner.Request(spec, bundleDir, rootfs, fifo,
          options.monitor() ? dir.resolve("exit") : null, options.consoleSocket(), options.noPivot(), earlyHooks,
          cgroups, cgroupPath));
      // berth-init execs and connects while the cgroup is made: the two do not depend on each other.
      session = InitSession.launch(dir.resolve("init.sock"), options.stdio());
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
      ContainerRecord record = new ContainerRecord(id, pid, startTime, bundleDir.toString(), rootfs.toString(),
          Instant.now().toString(), cgroupPath, cgroup.createdAncestors(), options.monitor(), spec);
      if (earlyHooks) {
        session.awaitHookPoint();
        State creating = toState(record, ContainerStatus.CREATING);
        HookRunner.run("hooks.prestart", hooks.prestart(), creating);
        HookRunner.run("hooks.createRuntime", hooks.createRuntime(), creating);
        HookRunner.run("hooks.createContainer", hooks.createContainer(), creating);
        session.resume();
      }
      store.write(record); // while the container mounts and pivots; a failure below removes it again
      session.awaitReady();
      if (options.monitor()) {
        monitors.put(id, session.helper());
      }
      if (options.pidFile() != null) {
        writePidFile(options.pidFile(), pid);
      }
      session.close();
      return toState(record, ContainerStatus.CREATED);
    } catch (ContainerException | RuntimeException e) {
      if (session != null) {
        session.abort();
      }
      if (pid > 0) {
        Native.kill(pid, SIGKILL);
        awaitDeath(pid);
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
      // Directly below the root, as runc and crun do: no shared parent to create and remove per container.
      return "/berth-" + id;
    }
    // A relative path is placed below the cgroup root, like an absolute one (documented in docs/runtime.md);
    // ".." stops at the root, as in runc.
    String clean = CgroupPaths.clean(p);
    if (clean.equals("/")) {
      throw new ContainerException("linux.cgroupsPath: \"" + p + "\" names the cgroup root itself");
    }
    return clean;
  }

  private void writeIdMappings(int pid, Spec spec) throws ContainerException {
    if (spec.linux() == null || spec.linux().namespaces() == null) {
      return;
    }
    boolean newUser = spec.linux().namespaces().stream()
        .anyMatch(n -> n.type().equals("user") && (n.path() == null || n.path().isEmpty()));
    if (!newUser) {
      return;
    }
    writeProcFile(pid, "uid_map", mappings(spec.linux().uidMappings()));
    writeProcFile(pid, "gid_map", mappings(spec.linux().gidMappings()));
  }

  private static String mappings(List<IdMapping> maps) {
    StringBuilder sb = new StringBuilder();
    for (IdMapping m : maps) {
      sb.append(m.containerID()).append(' ').append(m.hostID()).append(' ').append(m.size()).append('\n');
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

  private static void writePidFile(Path pidFile, int pid) throws ContainerException {
    try {
      Path tmp = pidFile.resolveSibling("." + pidFile.getFileName() + ".tmp");
      Files.writeString(tmp, Integer.toString(pid));
      Files.move(tmp, pidFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new ContainerException("cannot write pid file " + pidFile + ": " + e.getMessage());
    }
  }

  /** Runs the user program of a created container. */
  public void start(String id) throws ContainerException {
    try (StateStore.Held lock = store.lock(id)) {
      ContainerRecord r = store.read(id);
      ContainerStatus status = statusOf(r);
      if (status != ContainerStatus.CREATED) {
        throw new ContainerException("cannot start container \"" + id + "\": it is " + status.specName()
            + ", not created");
      }
      Hooks hooks = r.config().hooks();
      if (hooks != null) {
        HookRunner.run("hooks.startContainer", hooks.startContainer(), toState(r, ContainerStatus.CREATED));
      }
      Path fifo = store.dirOf(id).resolve("exec.fifo");
      LibC libc = Native.libc();
      int fd = libc.open(fifo.toString(), Native.O_WRONLY | Native.O_NONBLOCK | Native.O_CLOEXEC, 0);
      if (fd < 0) {
        int errno = Native.errno();
        throw new ContainerException("cannot start container \"" + id + "\": "
            + (errno == Native.ENXIO ? "its init process has exited" : "open " + fifo + ": "
            + NativeException.errnoName(errno)));
      }
      try {
        libc.write(fd, new byte[] {'0'}, 1);
      } finally {
        libc.close(fd);
      }
      try {
        Files.deleteIfExists(fifo);
      } catch (IOException e) {
        throw new ContainerException("cannot remove " + fifo + ": " + e.getMessage());
      }
      if (hooks != null) {
        try {
          HookRunner.run("hooks.poststart", hooks.poststart(), toState(r, ContainerStatus.RUNNING));
        } catch (ContainerException e) {
          LOG.warning("container " + id + ": " + e.getMessage());
        }
      }
    }
  }

  public State state(String id) throws ContainerException {
    ContainerRecord r = store.read(id);
    return toState(r, statusOf(r));
  }

  public List<State> list() {
    List<State> out = new ArrayList<>();
    for (String id : store.ids()) {
      try {
        out.add(state(id));
      } catch (ContainerException e) {
        // deleted while listing
      }
    }
    return out;
  }

  public ContainerRecord record(String id) throws ContainerException {
    return store.read(id);
  }

  private ContainerStatus statusOf(ContainerRecord r) {
    if (!ProcessStat.isAlive(r.pid(), r.pidStartTime())) {
      return ContainerStatus.STOPPED;
    }
    if (cgroups.open(r.cgroupPath()).isFrozen()) {
      return ContainerStatus.PAUSED;
    }
    return Files.exists(store.dirOf(r.id()).resolve("exec.fifo")) ? ContainerStatus.CREATED : ContainerStatus.RUNNING;
  }

  private State toState(ContainerRecord r, ContainerStatus status) {
    Map<String, Object> extra = new HashMap<>();
    extra.put("rootfs", r.rootfs());
    extra.put("created", r.created());
    extra.put("owner", "");
    int pid = status == ContainerStatus.STOPPED ? 0 : r.pid();
    return new State(OCI_VERSION, r.id(), status.specName(), pid, r.bundle(), r.config().annotations(), extra);
  }

  /** Sends a signal to the container's init process, or with {@code all} to every process in its cgroup. */
  public void kill(String id, int signal, boolean all) throws ContainerException {
    try (StateStore.Held lock = store.lock(id)) {
      ContainerRecord r = store.read(id);
      ContainerStatus status = statusOf(r);
      if (status == ContainerStatus.STOPPED && !all) {
        throw new ContainerException("cannot kill container \"" + id + "\": it is not running");
      }
      if (all) {
        signalAll(r, signal);
      } else {
        Native.kill(r.pid(), signal);
      }
    }
  }

  private void signalAll(ContainerRecord r, int signal) throws ContainerException {
    Cgroup cg = cgroups.open(r.cgroupPath());
    boolean wasFrozen = cg.isFrozen();
    // Frozen, nothing in the cgroup can fork between listing and signalling.
    if (!wasFrozen) {
      cg.freeze();
    }
    for (int pid : cg.pids()) {
      Native.kill(pid, signal);
    }
    if (!wasFrozen || signal == SIGKILL) {
      cg.thaw();
    }
  }

  /** Deletes a stopped (or created) container; a running or paused one only with {@code force}. */
  public void delete(String id, boolean force) throws ContainerException {
    try (StateStore.Held lock = store.lock(id)) {
      ContainerRecord r = store.read(id);
      ContainerStatus status = statusOf(r);
      if (status == ContainerStatus.RUNNING || status == ContainerStatus.PAUSED) {
        if (!force) {
          throw new ContainerException("cannot delete container \"" + id + "\" that is not stopped: "
              + status.specName() + " (use --force)");
        }
      }
      if (status != ContainerStatus.STOPPED) {
        signalAll(r, SIGKILL);
        awaitDeath(r.pid());
      }
      Cgroup cg = cgroups.open(r.cgroupPath());
      waitForEmpty(cg);
      if (r.config().hooks() != null) {
        try {
          HookRunner.run("hooks.poststop", r.config().hooks().poststop(), toState(r, ContainerStatus.STOPPED));
        } catch (ContainerException e) {
          LOG.warning("container " + id + ": " + e.getMessage());
        }
      }
      cg.destroy(r.createdCgroupAncestors());
      java.lang.Process monitor = monitors.remove(id);
      if (monitor != null) {
        monitor.onExit().join();
      } else if (r.monitored()) {
        // Adopted (another process started it): its monitor writes the exit file into the state directory
        // right after the container died; removing the directory before that would race with it.
        awaitExitFile(id);
      }
      store.remove(id);
    }
  }

  private static void waitForEmpty(Cgroup cg) {
    for (int i = 0; i < 5000 && !cg.pids().isEmpty(); i++) {
      for (int pid : cg.pids()) {
        Native.kill(pid, SIGKILL);
      }
      sleepMillis(1);
    }
  }

  private void awaitExitFile(String id) {
    Path exit = store.dirOf(id).resolve("exit");
    for (int i = 0; i < 5000 && !Files.exists(exit); i++) {
      sleepMillis(1);
    }
  }

  private static void awaitDeath(int pid) {
    for (int i = 0; i < 10_000; i++) {
      Optional<ProcessStat> s = ProcessStat.of(pid);
      if (s.isEmpty() || s.get().state() == 'Z' || s.get().state() == 'X') {
        return;
      }
      sleepMillis(1);
    }
  }

  private static void sleepMillis(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public void pause(String id) throws ContainerException {
    try (StateStore.Held lock = store.lock(id)) {
      ContainerRecord r = store.read(id);
      ContainerStatus status = statusOf(r);
      if (status != ContainerStatus.RUNNING && status != ContainerStatus.CREATED) {
        throw new ContainerException("cannot pause container \"" + id + "\": it is " + status.specName());
      }
      cgroups.open(r.cgroupPath()).freeze();
    }
  }

  public void resume(String id) throws ContainerException {
    try (StateStore.Held lock = store.lock(id)) {
      ContainerRecord r = store.read(id);
      if (statusOf(r) != ContainerStatus.PAUSED) {
        throw new ContainerException("cannot resume container \"" + id + "\": it is not paused");
      }
      cgroups.open(r.cgroupPath()).thaw();
    }
  }

  /** Host pids of every process in the container. */
  public List<Integer> ps(String id) throws ContainerException {
    ContainerRecord r = store.read(id);
    return cgroups.open(r.cgroupPath()).pids();
  }

  public CgroupStats stats(String id) throws ContainerException {
    ContainerRecord r = store.read(id);
    return cgroups.open(r.cgroupPath()).stats();
  }

  /**
   * The exit code of a container created with a monitor: completes when its init process ends (128+signal
   * when a signal killed it). For one created by another process, read from the exit file when present.
   */
  public CompletableFuture<Integer> exitCode(String id) throws ContainerException {
    java.lang.Process monitor = monitors.get(id);
    if (monitor != null) {
      return monitor.onExit().thenApply(java.lang.Process::exitValue);
    }
    ContainerRecord r = store.read(id);
    return recordedExit(r.id()).map(CompletableFuture::completedFuture)
        .orElseGet(() -> CompletableFuture.failedFuture(new ContainerException("container \"" + id
            + "\" has no recorded exit code (not created with a monitor, or still running)")));
  }

  /**
   * The exit code of a stopped container, waiting up to {@code waitMillis} for its monitor to record it:
   * the monitor writes it right after the process dies, so "stopped" can be seen a moment before it.
   */
  public Optional<Integer> recordedExit(String id, long waitMillis) {
    long deadline = System.nanoTime() + waitMillis * 1_000_000;
    Optional<Integer> exit = recordedExit(id);
    while (exit.isEmpty() && System.nanoTime() < deadline) {
      sleepMillis(2);
      exit = recordedExit(id);
    }
    return exit;
  }

  /** The exit code the monitor wrote, if the container has exited. */
  public Optional<Integer> recordedExit(String id) {
    Path exit = store.dirOf(id).resolve("exit");
    try {
      return Optional.of(Integer.parseInt(Files.readString(exit, StandardCharsets.US_ASCII).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Runs another process inside a running container: all its namespaces, its cgroup. */
  public ExecHandle exec(String id, Process process, ExecOptions options) throws ContainerException {
    ContainerRecord r = store.read(id);
    ContainerStatus status = statusOf(r);
    if (status != ContainerStatus.RUNNING && status != ContainerStatus.CREATED) {
      throw new ContainerException("cannot exec in container \"" + id + "\": it is " + status.specName());
    }
    InitPlan plan = ExecPlanner.plan(r.config(), r.pid(), process, options.consoleSocket());
    Path socket = store.dirOf(id).resolve("exec-" + Long.toHexString(System.nanoTime()) + ".sock");
    try (InitSession session = InitSession.start(socket, plan, options.stdio())) {
      int pid = session.awaitPid();
      try {
        cgroups.open(r.cgroupPath()).addProcess(pid);
        session.go();
        session.awaitReady();
      } catch (ContainerException e) {
        Native.kill(pid, SIGKILL);
        throw e;
      }
      if (options.pidFile() != null) {
        writePidFile(options.pidFile(), pid);
      }
      java.lang.Process helper = session.helper();
      return new ExecHandle(pid, helper.onExit().thenApply(java.lang.Process::exitValue));
    }
  }
}
