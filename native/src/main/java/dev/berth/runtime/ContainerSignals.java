package dev.berth.runtime;

import dev.berth.runtime.cgroups.Cgroup;
import dev.berth.runtime.cgroups.CgroupDriver;
import dev.berth.runtime.libc.Native;
import dev.berth.runtime.process.ProcessStat;
import dev.berth.runtime.state.ContainerRecord;
import java.util.Optional;

/** Signals every process of a container, and waits for processes and cgroups to empty. */
final class ContainerSignals {
  static final int SIGKILL = 9;

  private final CgroupDriver cgroups;

  ContainerSignals(CgroupDriver cgroups) {
    this.cgroups = cgroups;
  }

  void signalAll(ContainerRecord r, int signal) throws ContainerException {
    Cgroup cg = cgroups.open(r.cgroupPath());
    if (cg.detached()) {
      // No cgroup lists its processes: the init (in a pid namespace, the others die with it).
      Native.kill(r.pid(), signal);
      return;
    }
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

  static void waitForEmpty(Cgroup cg) {
    for (int i = 0; i < 5000 && !cg.pids().isEmpty(); i++) {
      for (int pid : cg.pids()) {
        Native.kill(pid, SIGKILL);
      }
      sleepMillis(1);
    }
  }

  static void awaitDeath(int pid) {
    for (int i = 0; i < 10_000; i++) {
      Optional<ProcessStat> s = ProcessStat.of(pid);
      if (s.isEmpty() || s.get().state() == 'Z' || s.get().state() == 'X') {
        return;
      }
      sleepMillis(1);
    }
  }

  static void sleepMillis(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
