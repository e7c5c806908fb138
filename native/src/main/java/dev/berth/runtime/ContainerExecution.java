package dev.berth.runtime;

import dev.berth.model.runtime.ContainerProcess;
import dev.berth.runtime.cgroups.CgroupDriver;
import dev.berth.runtime.init.ExecPlanner;
import dev.berth.runtime.init.InitPlan;
import dev.berth.runtime.init.InitSession;
import dev.berth.runtime.libc.Native;
import dev.berth.runtime.state.ContainerRecord;
import dev.berth.runtime.state.StateStore;
import java.nio.file.Path;

/** exec: another process in a running container, in all its namespaces and its cgroup. */
final class ContainerExecution {
  private final StateStore store;
  private final CgroupDriver cgroups;
  private final ContainerStates states;

  ContainerExecution(StateStore store, CgroupDriver cgroups, ContainerStates states) {
    this.store = store;
    this.cgroups = cgroups;
    this.states = states;
  }

  /** Runs another process inside a running container: all its namespaces, its cgroup. */
  ExecHandle exec(String id, ContainerProcess process, ExecOptions options)
      throws ContainerException {
    ContainerRecord r = store.readComplete(id);
    ContainerStatus status = states.statusOf(r);
    if (status != ContainerStatus.RUNNING && status != ContainerStatus.CREATED) {
      throw new ContainerException(
          "cannot exec in container \"" + id + "\": it is " + status.specName());
    }
    InitPlan plan =
        ExecPlanner.plan(
            r.config(),
            r.pid(),
            process,
            options.consoleSocket(),
            store.seccompCache(),
            !options.detached());
    Path socket = store.execSocket(id);
    try (InitSession session = InitSession.start(socket, plan, options.stdio())) {
      int pid = session.awaitPid();
      try {
        cgroups.open(r.cgroupPath()).addProcess(pid);
        session.go();
        session.awaitReady();
      } catch (ContainerException e) {
        Native.kill(pid, ContainerSignals.SIGKILL);
        throw e;
      }
      if (options.pidFile() != null) {
        PidFiles.write(options.pidFile(), pid);
      }
      if (options.detached()) {
        // berth-init has left: the process is its caller's subreaper's to wait for, not ours
        return new ExecHandle(pid, new java.util.concurrent.CompletableFuture<>());
      }
      return new ExecHandle(pid, session.helper().onExit());
    }
  }
}
