package dev.berth.model.fleet;

import java.util.Map;

/**
 * A node in the fleet view (the Hazelcast map "nodes"): its capacity and what of it containers may
 * request (allocatable: capacity minus what the node keeps for itself, as the kubelet reports), its
 * labels, its lease, and where its node API (logs, exec, metrics) listens, as host:port (null for
 * nodes without one), the address other nodes route its pod subnet through and that subnet (both
 * null when the node does not take part in the fleet's pod network).
 */
public record NodeRecord(
    String name,
    long cpuMillis,
    long memoryBytes,
    long allocatableCpuMillis,
    long allocatableMemoryBytes,
    Map<String, String> labels,
    long leaseExpiresAtMillis,
    String apiAddress,
    String address,
    String podSubnet) {

  /** True while the node renews its lease in time. */
  public boolean alive(long nowMillis) {
    return nowMillis <= leaseExpiresAtMillis;
  }
}
