package dev.berth.model.fleet;

/** CPU and memory as Kubernetes writes them ("500m", "128Mi"); null when not set. */
public record ResourceRequests(String cpu, String memory, Integer pids) {}
