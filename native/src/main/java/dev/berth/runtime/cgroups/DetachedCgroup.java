package dev.berth.runtime.cgroups;

import dev.berth.model.runtime.Resources;
import dev.berth.runtime.ContainerException;
import java.util.List;
import java.util.Map;

/**
 * The cgroup of a rootless container on a host that delegates none to its user (as runc's rootless
 * mode without systemd): nothing is limited, counted or frozen; the container's processes stay in
 * the cgroup of the user who ran it, and a pid namespace is what ends them with its init.
 */
final class DetachedCgroup implements Cgroup {
  private final String path;

  DetachedCgroup(String path) {
    this.path = path;
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public boolean detached() {
    return true;
  }

  @Override
  public List<String> createdAncestors() {
    return List.of();
  }

  @Override
  public void addProcess(int pid) {}

  @Override
  public void apply(Resources resources) throws ContainerException {
    if (!RootlessCgroups.isEmpty(resources)) {
      throw RootlessCgroups.noDelegation(path);
    }
  }

  @Override
  public void freeze() throws ContainerException {
    throw new ContainerException(
        "cannot freeze container cgroup "
            + path
            + ": a rootless container without a delegated cgroup has no freezer");
  }

  @Override
  public void thaw() throws ContainerException {
    freeze();
  }

  @Override
  public boolean isFrozen() {
    return false;
  }

  @Override
  public List<Integer> pids() {
    return List.of();
  }

  @Override
  public CgroupStats stats() {
    return new CgroupStats(
        new CgroupStats.Cpu(new CgroupStats.Usage(0, 0, 0), new CgroupStats.Throttling(0, 0, 0)),
        new CgroupStats.Memory(
            new CgroupStats.MemoryEntry(0, 0, 0, 0),
            new CgroupStats.MemoryEntry(0, 0, 0, 0),
            Map.of()),
        new CgroupStats.Pids(0, 0));
  }

  @Override
  public void destroy(List<String> createdAncestors) {}
}
