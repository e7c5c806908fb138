package dev.berth.model.fleet;

import java.io.Serializable;
import java.util.Map;

/**
 * A node in the fleet view (the Hazelcast map "nodes"): what it can run, its labels, its lease, and where its
 * node API (logs, exec, metrics) listens, as host:port (null for nodes without one).
 */
public record NodeRecord(String name, long cpuMillis, long memoryBytes, Map<String, String> labels,
    long leaseExpiresAtMillis, String apiAddress) implements Serializable {

  /** True while the node renews its lease in time. */
  public boolean alive(long nowMillis) {
    return nowMillis <= leaseExpiresAtMillis;
  }
}
