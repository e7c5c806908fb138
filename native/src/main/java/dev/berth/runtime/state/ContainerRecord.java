package dev.berth.runtime.state;

import dev.berth.model.runtime.Spec;
import java.util.List;

/**
 * What the runtime remembers of a container between commands (state.json in its state directory).
 */
public record ContainerRecord(
    String id,
    int pid,
    long pidStartTime,
    String bundle,
    String rootfs,
    String created,
    String cgroupPath,
    List<String> createdCgroupAncestors,
    boolean monitored,
    Spec config) {

  /** The same record with {@code c} as the container's config. */
  public ContainerRecord withConfig(Spec c) {
    return new ContainerRecord(
        id,
        pid,
        pidStartTime,
        bundle,
        rootfs,
        created,
        cgroupPath,
        createdCgroupAncestors,
        monitored,
        c);
  }
}
