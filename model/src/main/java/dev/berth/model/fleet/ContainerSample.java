package dev.berth.model.fleet;

/**
 * One reading of a running container's cgroup accounting, as its agent samples it (map
 * containerSamples): total CPU time used so far in nanoseconds (a rate needs two samples), memory
 * in use and its limit in bytes (0 for none), and its process count.
 */
public record ContainerSample(
    String containerId,
    String node,
    long timeMillis,
    long cpuNanos,
    long memoryBytes,
    long memoryLimitBytes,
    long pids) {}
