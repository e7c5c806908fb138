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
    Spec config) {}
