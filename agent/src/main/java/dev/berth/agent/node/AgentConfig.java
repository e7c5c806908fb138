package dev.berth.agent.node;

import java.nio.file.Path;
import java.util.Map;

/** One node agent: its name, state directory, Kafka brokers, capacity and labels, and its timings. */
public record AgentConfig(String nodeName, Path stateDir, String kafkaBootstrap, long cpuMillis, long memoryBytes,
    Map<String, String> labels, long leaseMillis, long reconcileIntervalMillis) {

  /** Every container of this node sits below this cgroup, so two agents on one machine never collide. */
  public String cgroupParent() {
    return "/berth-node-" + nodeName;
  }
}
