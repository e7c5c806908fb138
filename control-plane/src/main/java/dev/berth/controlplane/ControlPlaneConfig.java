package dev.berth.controlplane;

/**
 * One control-plane process: its Kafka brokers, API port (0: any free one), the identity it
 * campaigns for the scheduler lease with, the lease length, how often the scheduler runs without an
 * event, and the cluster range nodes take their pod subnets from.
 */
public record ControlPlaneConfig(
    String kafkaBootstrap,
    int apiPort,
    String identity,
    long leaseMillis,
    long schedulerIntervalMillis,
    String clusterCidr) {
  /** Flannel's and kubeadm's customary pod range. */
  public static final String DEFAULT_CLUSTER_CIDR = "10.244.0.0/16";

  public ControlPlaneConfig(
      String kafkaBootstrap,
      int apiPort,
      String identity,
      long leaseMillis,
      long schedulerIntervalMillis) {
    this(
        kafkaBootstrap,
        apiPort,
        identity,
        leaseMillis,
        schedulerIntervalMillis,
        DEFAULT_CLUSTER_CIDR);
  }
}
