package dev.berth.controlplane;

/**
 * One control-plane process: its Kafka brokers, API port (0: any free one), the identity it
 * campaigns for the scheduler lease with, the lease length and how often the scheduler runs without
 * an event.
 */
public record ControlPlaneConfig(
    String kafkaBootstrap,
    int apiPort,
    String identity,
    long leaseMillis,
    long schedulerIntervalMillis) {}
