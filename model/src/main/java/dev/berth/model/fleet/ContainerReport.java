package dev.berth.model.fleet;

import java.util.List;

/**
 * A container's actual state as its agent reports it (map containers): running, stopped or failed,
 * exit code, restarts, its address on the node's network (null without one) and the ports it
 * publishes.
 */
public record ContainerReport(
    String containerId,
    String workload,
    long generation,
    ContainerState state,
    Integer exitCode,
    int restarts,
    String message,
    String node,
    String ip,
    List<ContainerPort> ports) {}
