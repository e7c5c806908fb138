package dev.berth.runtime.cgroups;

import dev.berth.model.runtime.Resources;
import dev.berth.runtime.ContainerException;
import java.util.List;

/** One container's cgroup: membership, limits, freezing, stats and removal. */
public interface Cgroup {
  String path();

  /** Whether there is no cgroup behind it (a rootless container on a host that delegates none). */
  default boolean detached() {
    return false;
  }

  /**
   * The ancestors of this cgroup that {@code create} made (absolute cgroup paths), for {@link
   * #destroy}.
   */
  List<String> createdAncestors();

  void addProcess(int pid) throws ContainerException;

  void apply(Resources resources) throws ContainerException;

  void freeze() throws ContainerException;

  void thaw() throws ContainerException;

  boolean isFrozen();

  /** Every process in the cgroup, as host pids. */
  List<Integer> pids();

  CgroupStats stats();

  /**
   * Removes the cgroup (it must hold no process) and the ancestors this runtime created, when
   * empty.
   */
  void destroy(List<String> createdAncestors) throws ContainerException;
}
