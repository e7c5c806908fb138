package dev.berth.model.fleet;

/**
 * How the scheduler's last pass placed a workload (map "scheduling"): of which generation, how many
 * replicas have a node, how many have none, and why (for example "0/2 nodes are available: 2 with
 * hostPort 8080/TCP in use"; null when all are placed).
 */
public record SchedulingStatus(
    String workload, long generation, int placed, int unschedulable, String reason) {}
