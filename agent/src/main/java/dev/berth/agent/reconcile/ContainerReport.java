package dev.berth.agent.reconcile;

/** A container's actual state as the agent reports it: created, running, stopped or failed (to start). */
public record ContainerReport(String containerId, String workload, long generation, String state, Integer exitCode,
    int restarts, String message) implements java.io.Serializable {}
