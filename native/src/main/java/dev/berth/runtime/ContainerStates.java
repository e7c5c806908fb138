package dev.berth.runtime;

import dev.berth.model.runtime.State;
import dev.berth.runtime.cgroups.CgroupDriver;
import dev.berth.runtime.process.ProcessStat;
import dev.berth.runtime.state.ContainerRecord;
import dev.berth.runtime.state.StateStore;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/**
 * A container's status, read from its record, its process and its cgroup, and its runtime-spec
 * state.
 */
final class ContainerStates {
  private final StateStore store;
  private final CgroupDriver cgroups;

  ContainerStates(StateStore store, CgroupDriver cgroups) {
    this.store = store;
    this.cgroups = cgroups;
  }

  ContainerStatus statusOf(ContainerRecord r) {
    if (!ProcessStat.isAlive(r.pid(), r.pidStartTime())) {
      return ContainerStatus.STOPPED;
    }
    if (cgroups.open(r.cgroupPath()).isFrozen()) {
      return ContainerStatus.PAUSED;
    }
    return Files.exists(store.execFifo(r.id())) ? ContainerStatus.CREATED : ContainerStatus.RUNNING;
  }

  State toState(ContainerRecord r, ContainerStatus status) {
    Map<String, Object> extra = new HashMap<>();
    extra.put("rootfs", r.rootfs());
    extra.put("created", r.created());
    extra.put("owner", "");
    int pid = status == ContainerStatus.STOPPED ? 0 : r.pid();
    return new State(
        ContainerRuntime.OCI_VERSION,
        r.id(),
        status.specName(),
        pid,
        r.bundle(),
        r.config().annotations(),
        extra);
  }
}
