package dev.berth.runtime;

import dev.berth.runtime.cgroups.Cgroup;
import dev.berth.runtime.cgroups.CgroupDriver;
import dev.berth.runtime.hooks.HookRunner;
import dev.berth.runtime.process.ChildProcess;
import dev.berth.runtime.state.ContainerRecord;
import dev.berth.runtime.state.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.logging.Logger;

/** delete: a container's processes, hooks, cgroup and state, removed in that order. */
final class ContainerRemoval {
  private static final Logger LOG = Logger.getLogger(ContainerRuntime.class.getName());
  private final StateStore store;
  private final CgroupDriver cgroups;
  private final ContainerStates states;
  private final ContainerSignals signals;
  private final Map<String, ChildProcess> monitors;

  ContainerRemoval(
      StateStore store,
      CgroupDriver cgroups,
      ContainerStates states,
      ContainerSignals signals,
      Map<String, ChildProcess> monitors) {
    this.store = store;
    this.cgroups = cgroups;
    this.states = states;
    this.signals = signals;
    this.monitors = monitors;
  }

  /** Deletes a stopped (or created) container; a running or paused one only with {@code force}. */
  void delete(String id, boolean force) throws ContainerException {
    try (StateStore.Held lock = store.lock(id)) {
      ContainerRecord r = store.readForLifecycle(id);
      ContainerStatus status = states.statusOf(r);
      if (status == ContainerStatus.RUNNING || status == ContainerStatus.PAUSED) {
        if (!force) {
          throw new ContainerException(
              "cannot delete container \""
                  + id
                  + "\" that is not stopped: "
                  + status.specName()
                  + " (use --force)");
        }
      }
      if (status != ContainerStatus.STOPPED) {
        signals.signalAll(r, ContainerSignals.SIGKILL);
        ContainerSignals.awaitDeath(r.pid());
      }
      Cgroup cg = cgroups.open(r.cgroupPath());
      ContainerSignals.waitForEmpty(cg);
      if (r.config().hooks() != null) {
        // the spec: a failing poststop hook is a warning, and the others still run
        for (ContainerException e :
            HookRunner.runAll(
                "hooks.poststop",
                r.config().hooks().poststop(),
                states.toState(r, ContainerStatus.STOPPED))) {
          LOG.warning("container " + id + ": " + e.getMessage());
        }
      }
      cg.destroy(r.createdCgroupAncestors());
      ChildProcess monitor = monitors.remove(id);
      if (monitor != null) {
        monitor.onExit().join();
      } else if (r.monitored()) {
        // Adopted (another process started it): its monitor writes the exit file into the state
        // directory
        // right after the container died; removing the directory before that would race with it.
        awaitExitFile(id);
      }
      store.remove(id);
    }
  }

  private void awaitExitFile(String id) {
    Path exit = store.exitFile(id);
    for (int i = 0; i < 5000 && !Files.exists(exit); i++) {
      ContainerSignals.sleepMillis(1);
    }
  }
}
