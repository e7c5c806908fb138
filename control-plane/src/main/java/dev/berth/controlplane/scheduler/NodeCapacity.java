package dev.berth.controlplane.scheduler;

import java.util.Map;

/** A live node as the scheduler sees it: what it can give (allocatable) and its labels. */
public record NodeCapacity(
    String name, long cpuMillis, long memoryBytes, Map<String, String> labels) {}
