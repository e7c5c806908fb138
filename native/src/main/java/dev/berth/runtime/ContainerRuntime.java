package dev.berth.runtime;

import dev.berth.model.JsonMapping;
import dev.berth.model.runtime.ContainerProcess;
import dev.berth.model.runtime.Hooks;
import dev.berth.model.runtime.InvalidSpecException;
import dev.berth.model.runtime.Linux;
import dev.berth.model.runtime.Resources;
import dev.berth.model.runtime.Spec;
import dev.berth.model.runtime.SpecValidator;
import dev.berth.model.runtime.State;
import dev.berth.runtime.cgroups.Cgroup;
import dev.berth.runtime.cgroups.CgroupDriver;
import dev.berth.runtime.cgroups.CgroupHierarchies;
import dev.berth.runtime.cgroups.CgroupStats;
import dev.berth.runtime.cgroups.RootlessCgroups;
import dev.berth.runtime.hooks.HookRunner;
import dev.berth.runtime.libc.LibC;
import dev.berth.runtime.libc.Native;
import dev.berth.runtime.libc.NativeException;
import dev.berth.runtime.process.ChildProcess;
import dev.berth.runtime.state.ContainerRecord;
import dev.berth.runtime.state.StateStore;
import dev.berth.runtime.userns.HostUserNamespace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The OCI runtime as an in-process Java API: create, start, state, kill, delete, pause, resume,
 * exec, ps and stats, with the runtime-spec's semantics. The runc command line and the agent both
 * call this.
 */
public final class ContainerRuntime {
  public static final String OCI_VERSION = "1.2.0";
  private static final Logger LOG = Logger.getLogger(ContainerRuntime.class.getName());

  private final StateStore store;
  private final CgroupDriver cgroups;
  private final Map<String, ChildProcess> monitors = new ConcurrentHashMap<>();
  private final ContainerStates states;
  private final ContainerSignals signals;
  private final ContainerCreation creation;
  private final ContainerRemoval removal;
  private final ContainerExecution execution;

  /**
   * A runtime on the host's cgroups (an ordinary user's, or root's in a user namespace of its own:
   * those it may create, else none).
   */
  public ContainerRuntime(Path stateRoot) {
    this(
        stateRoot,
        HostUserNamespace.effectiveUid() == 0 && HostUserNamespace.isInitial()
            ? CgroupHierarchies.detect()
            : new RootlessCgroups(CgroupHierarchies.detect()));
  }

  public ContainerRuntime(Path stateRoot, CgroupDriver cgroups) {
    this.store = new StateStore(stateRoot);
    this.cgroups = cgroups;
    this.states = new ContainerStates(store, cgroups);
    this.signals = new ContainerSignals(cgroups);
    this.creation = new ContainerCreation(store, cgroups, states, monitors);
    this.removal = new ContainerRemoval(store, cgroups, states, signals, monitors);
    this.execution = new ContainerExecution(store, cgroups, states);
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
      Spec spec = JsonMapping.readSpec(config);
      SpecValidator.requireValid(spec);
      if (spec.process() == null) {
        throw new ContainerException(config + ": process is required to create a container");
      }
      return spec;
    } catch (InvalidSpecException e) {
      throw new ContainerException(e.getMessage(), e);
    }
  }

  /** Sets the container up to the point where only the user program's exec remains. */
  public State create(String id, Path bundle, CreateOptions options) throws ContainerException {
    return creation.create(id, bundle, options);
  }

  /** Runs the user program of a created container. */
  public void start(String id) throws ContainerException {
    try (StateStore.Held lock = store.lock(id)) {
      ContainerRecord r = store.readForLifecycle(id);
      ContainerStatus status = states.statusOf(r);
      if (status != ContainerStatus.CREATED) {
        throw new ContainerException(
            "cannot start container \"" + id + "\": it is " + status.specName() + ", not created");
      }
      Hooks hooks = r.config().hooks();
      if (hooks != null) {
        HookRunner.run(
            "hooks.startContainer",
            hooks.startContainer(),
            states.toState(r, ContainerStatus.CREATED));
      }
      Path fifo = store.execFifo(id);
      LibC libc = Native.libc();
      int fd =
          libc.open(fifo.toString(), Native.O_WRONLY | Native.O_NONBLOCK | Native.O_CLOEXEC, 0);
      if (fd < 0) {
        int errno = Native.errno();
        throw new ContainerException(
            "cannot start container \""
                + id
                + "\": "
                + (errno == Native.ENXIO
                    ? "its init process has exited"
                    : "open " + fifo + ": " + NativeException.errnoName(errno)));
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
        // the spec: a failing poststart hook is a warning, and the others still run
        for (ContainerException e :
            HookRunner.runAll(
                "hooks.poststart", hooks.poststart(), states.toState(r, ContainerStatus.RUNNING))) {
          LOG.warning("container " + id + ": " + e.getMessage());
        }
      }
    }
  }

  public State state(String id) throws ContainerException {
    ContainerRecord r = store.readForLifecycle(id);
    return states.toState(r, states.statusOf(r));
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

  /** A container's state record with its whole config (the seccomp profile included). */
  public ContainerRecord record(String id) throws ContainerException {
    return store.readComplete(id);
  }

  /**
   * Sends a signal to the container's init process, or with {@code all} to every process in its
   * cgroup.
   */
  public void kill(String id, int signal, boolean all) throws ContainerException {
    try (StateStore.Held lock = store.lock(id)) {
      ContainerRecord r = store.readForLifecycle(id);
      ContainerStatus status = states.statusOf(r);
      if (status == ContainerStatus.STOPPED && !all) {
        throw new ContainerException("cannot kill container \"" + id + "\": it is not running");
      }
      if (all) {
        signals.signalAll(r, signal);
      } else {
        Native.kill(r.pid(), signal);
      }
    }
  }

  /** Deletes a stopped (or created) container; a running or paused one only with {@code force}. */
  public void delete(String id, boolean force) throws ContainerException {
    removal.delete(id, force);
  }

  /**
   * Removes a container cgroup that no state names (what a runtime user killed in the middle of a
   * create leaves), killing the processes still in it first; nothing when it is absent.
   */
  public void removeOrphanCgroup(String cgroupPath) throws ContainerException {
    Cgroup left = cgroups.open(cgroupPath);
    ContainerSignals.waitForEmpty(left);
    left.destroy(List.of());
  }

  public void pause(String id) throws ContainerException {
    try (StateStore.Held lock = store.lock(id)) {
      ContainerRecord r = store.readForLifecycle(id);
      ContainerStatus status = states.statusOf(r);
      if (status != ContainerStatus.RUNNING && status != ContainerStatus.CREATED) {
        throw new ContainerException(
            "cannot pause container \"" + id + "\": it is " + status.specName());
      }
      cgroups.open(r.cgroupPath()).freeze();
    }
  }

  /**
   * Changes a created, running or paused container's limits, as `runc update`: what {@code changes}
   * sets is written to its cgroup and kept in its state; the rest stays as it was.
   */
  public void update(String id, Resources changes) throws ContainerException {
    try (StateStore.Held lock = store.lock(id)) {
      ContainerRecord r = store.read(id);
      ContainerStatus status = states.statusOf(r);
      if (status == ContainerStatus.STOPPED) {
        throw new ContainerException("cannot update container \"" + id + "\": it is stopped");
      }
      cgroups.open(r.cgroupPath()).apply(changes);
      Linux linux = r.config().linux();
      Resources before =
          linux == null || linux.resources() == null ? Resources.none() : linux.resources();
      if (linux != null) {
        store.write(
            r.withConfig(r.config().withLinux(linux.withResources(before.updatedWith(changes)))));
      }
    }
  }

  public void resume(String id) throws ContainerException {
    try (StateStore.Held lock = store.lock(id)) {
      ContainerRecord r = store.readForLifecycle(id);
      if (states.statusOf(r) != ContainerStatus.PAUSED) {
        throw new ContainerException("cannot resume container \"" + id + "\": it is not paused");
      }
      cgroups.open(r.cgroupPath()).thaw();
    }
  }

  /** Host pids of every process in the container. */
  public List<Integer> ps(String id) throws ContainerException {
    ContainerRecord r = store.readForLifecycle(id);
    return cgroups.open(r.cgroupPath()).pids();
  }

  public CgroupStats stats(String id) throws ContainerException {
    ContainerRecord r = store.readForLifecycle(id);
    return cgroups.open(r.cgroupPath()).stats();
  }

  /**
   * The exit code of a container created with a monitor: completes when its init process ends
   * (128+signal when a signal killed it). For one created by another process, read from the exit
   * file when present.
   */
  public CompletableFuture<Integer> exitCode(String id) throws ContainerException {
    ChildProcess monitor = monitors.get(id);
    if (monitor != null) {
      return monitor.onExit();
    }
    ContainerRecord r = store.readForLifecycle(id);
    return recordedExit(r.id())
        .map(CompletableFuture::completedFuture)
        .orElseGet(
            () ->
                CompletableFuture.failedFuture(
                    new ContainerException(
                        "container \""
                            + id
                            + "\" has no recorded exit code (not created with a monitor, or still running)")));
  }

  /**
   * The exit code of a stopped container, waiting up to {@code waitMillis} for its monitor to
   * record it: the monitor writes it right after the process dies, so "stopped" can be seen a
   * moment before it.
   */
  public Optional<Integer> recordedExit(String id, long waitMillis) {
    long deadline = System.nanoTime() + waitMillis * 1_000_000;
    Optional<Integer> exit = recordedExit(id);
    while (exit.isEmpty() && System.nanoTime() < deadline) {
      ContainerSignals.sleepMillis(2);
      exit = recordedExit(id);
    }
    return exit;
  }

  /** The exit code the monitor wrote, if the container has exited. */
  public Optional<Integer> recordedExit(String id) {
    Path exit = store.exitFile(id);
    try {
      return Optional.of(
          Integer.parseInt(Files.readString(exit, StandardCharsets.US_ASCII).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Runs another process inside a running container: all its namespaces, its cgroup. */
  public ExecHandle exec(String id, ContainerProcess process, ExecOptions options)
      throws ContainerException {
    return execution.exec(id, process, options);
  }
}
