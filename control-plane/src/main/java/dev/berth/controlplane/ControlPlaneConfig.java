package dev.berth.controlplane;

import dev.berth.controlplane.auth.ApiAccess;
import dev.berth.model.fleet.KafkaAccess;
import dev.berth.model.fleet.SpecLimits;

/**
 * One control-plane process: its Kafka brokers, API port (0: any free one), the identity it
 * campaigns for the scheduler lease with, the lease length, how often the scheduler runs without an
 * event, the cluster range nodes take their pod subnets from, the bounds on specs, and how the API
 * is guarded (TLS, tokens, rate limits).
 */
public record ControlPlaneConfig(
    String kafkaBootstrap,
    int apiPort,
    String identity,
    long leaseMillis,
    long schedulerIntervalMillis,
    String clusterCidr,
    SpecLimits specLimits,
    ApiAccess access,
    String apiAddress) {
  /** Flannel's and kubeadm's customary pod range. */
  public static final String DEFAULT_CLUSTER_CIDR = "10.244.0.0/16";

  public ControlPlaneConfig(
      String kafkaBootstrap,
      int apiPort,
      String identity,
      long leaseMillis,
      long schedulerIntervalMillis,
      String clusterCidr,
      ApiAccess access) {
    this(
        kafkaBootstrap,
        apiPort,
        identity,
        leaseMillis,
        schedulerIntervalMillis,
        clusterCidr,
        SpecLimits.DEFAULT,
        access,
        null);
  }

  public ControlPlaneConfig(
      String kafkaBootstrap,
      int apiPort,
      String identity,
      long leaseMillis,
      long schedulerIntervalMillis,
      String clusterCidr,
      SpecLimits specLimits,
      ApiAccess access) {
    this(
        kafkaBootstrap,
        apiPort,
        identity,
        leaseMillis,
        schedulerIntervalMillis,
        clusterCidr,
        specLimits,
        access,
        null);
  }

  /**
   * The addresses the API listens on: loopback, and the cluster address where agents and clients of
   * other machines reach it (never a wildcard).
   */
  public java.util.List<String> apiHosts() {
    return apiAddress == null || apiAddress.equals("127.0.0.1")
        ? java.util.List.of("127.0.0.1")
        : java.util.List.of("127.0.0.1", apiAddress);
  }

  /** The same control plane, its API listening on {@code address} too. */
  public ControlPlaneConfig withApiAddress(String address) {
    return new ControlPlaneConfig(
        kafkaBootstrap,
        apiPort,
        identity,
        leaseMillis,
        schedulerIntervalMillis,
        clusterCidr,
        specLimits,
        access,
        address);
  }

  /** How this control plane reaches Kafka: mutual TLS as a control plane of the fleet. */
  public KafkaAccess kafka() {
    return access.kafka(kafkaBootstrap);
  }

  /**
   * Where the GitOps sources' repositories are mirrored: beside the API's credentials, as private
   * (a mirror of a private repository is as secret as the repository), one directory per control
   * plane (by its cluster address, which stays when the process restarts; its pid does not).
   */
  public java.nio.file.Path gitMirrorsDir() {
    String stable = identity.substring(identity.indexOf('@') + 1);
    return access.dir().resolve("gitops").resolve(stable.replaceAll("[^A-Za-z0-9._-]", "_"));
  }

  /** The same control plane with {@code limits} on specs. */
  public ControlPlaneConfig withSpecLimits(SpecLimits limits) {
    return new ControlPlaneConfig(
        kafkaBootstrap,
        apiPort,
        identity,
        leaseMillis,
        schedulerIntervalMillis,
        clusterCidr,
        limits,
        access,
        apiAddress);
  }
}
