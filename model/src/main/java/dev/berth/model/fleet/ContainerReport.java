package dev.berth.model.fleet;

import java.io.Serializable;

/**
 * A container's actual state as its agent reports it (map containers): running, stopped or failed,
 * exit code, restarts.
 */
public record ContainerReport(
    String containerId,
    String workload,
    long generation,
    ContainerState state,
    Integer exitCode,
    int restarts,
    String message,
    String node)
    implements Serializable {}
