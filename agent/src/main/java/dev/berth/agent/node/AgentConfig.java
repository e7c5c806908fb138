package dev.berth.agent.node;

import com.sun.management.OperatingSystemMXBean;
import dev.berth.agent.AgentLayout;
import dev.berth.agent.images.registry.RegistryHost;
import dev.berth.agent.network.NetworkSettings;
import dev.berth.agent.node.tls.NodeTls;
import dev.berth.agent.security.ContainerPolicy;
import dev.berth.model.fleet.KafkaAccess;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Map;

/**
 * One node agent: its name, state directory, Kafka brokers, capacity and labels, its timings, the
 * port of its node API (0: any free one), the size at which container logs rotate, and how to reach
 * registries (mirrors, credentials, plain HTTP) by registry host, and what its containers may ask
 * for (host ids, privileged).
 */
public record AgentConfig(
    String nodeName,
    Path stateDir,
    String kafkaBootstrap,
    long cpuMillis,
    long memoryBytes,
    Map<String, String> labels,
    long leaseMillis,
    long reconcileIntervalMillis,
    int apiPort,
    long logMaxBytes,
    Map<String, RegistryHost> registries,
    NetworkSettings network,
    NodeTls tls,
    ContainerPolicy policy) {

  /** An agent whose containers get the default policy. */
  public AgentConfig(
      String nodeName,
      Path stateDir,
      String kafkaBootstrap,
      long cpuMillis,
      long memoryBytes,
      Map<String, String> labels,
      long leaseMillis,
      long reconcileIntervalMillis,
      int apiPort,
      long logMaxBytes,
      Map<String, RegistryHost> registries,
      NetworkSettings network,
      NodeTls tls) {
    this(
        nodeName,
        stateDir,
        kafkaBootstrap,
        cpuMillis,
        memoryBytes,
        labels,
        leaseMillis,
        reconcileIntervalMillis,
        apiPort,
        logMaxBytes,
        registries,
        network,
        tls,
        ContainerPolicy.DEFAULT);
  }

  /** Kubelet's defaults: 10 MiB per file, a few files kept. */
  public static final long DEFAULT_LOG_MAX_BYTES = 10L << 20;

  public static final int LOG_FILES_KEPT = 4;

  /**
   * An agent offering this machine's CPUs and memory, with a lease of {@code leaseMillis}, a
   * reconcile pass at least every 2 s, the node API on {@code apiPort} and kubelet's log rotation.
   */
  public static AgentConfig forThisMachine(
      String nodeName,
      Path stateDir,
      String kafkaBootstrap,
      Map<String, String> labels,
      long leaseMillis,
      int apiPort) {
    long memory =
        ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
    return new AgentConfig(
        nodeName,
        stateDir,
        kafkaBootstrap,
        Runtime.getRuntime().availableProcessors() * 1000L,
        memory,
        labels,
        leaseMillis,
        2000,
        apiPort,
        DEFAULT_LOG_MAX_BYTES,
        Map.of(),
        NetworkSettings.DEFAULT,
        NodeTls.in(stateDir.resolve("pki")));
  }

  /** The same agent, its containers bounded by {@code p}. */
  public AgentConfig withPolicy(ContainerPolicy p) {
    return new AgentConfig(
        nodeName,
        stateDir,
        kafkaBootstrap,
        cpuMillis,
        memoryBytes,
        labels,
        leaseMillis,
        reconcileIntervalMillis,
        apiPort,
        logMaxBytes,
        registries,
        network,
        tls,
        p);
  }

  /** The same agent, reaching registries with {@code hosts} (see RegistryHostsFile). */
  public AgentConfig withRegistries(Map<String, RegistryHost> hosts) {
    return edited(Map.copyOf(hosts), network, tls);
  }

  /** The same agent, its containers networked with {@code settings}. */
  public AgentConfig withNetwork(NetworkSettings settings) {
    return edited(registries, settings, tls);
  }

  /** The same agent, its node API serving with {@code files}. */
  public AgentConfig withTls(NodeTls files) {
    return edited(registries, network, files);
  }

  /**
   * How the agent reaches Kafka: mutual TLS with its node certificate, which Kafka maps to
   * node:NAME (its own assignments to read, its own events to write).
   */
  public KafkaAccess kafka() {
    if (tls == null) {
      throw new IllegalStateException("node " + nodeName + " has not joined: no certificate");
    }
    return KafkaAccess.mutualTls(kafkaBootstrap, tls.files());
  }

  private AgentConfig edited(
      Map<String, RegistryHost> hosts, NetworkSettings settings, NodeTls files) {
    return new AgentConfig(
        nodeName,
        stateDir,
        kafkaBootstrap,
        cpuMillis,
        memoryBytes,
        labels,
        leaseMillis,
        reconcileIntervalMillis,
        apiPort,
        logMaxBytes,
        hosts,
        settings,
        files,
        policy);
  }

  /**
   * What the node keeps for the agent and the system, as kubelet's system-reserved: not for
   * containers.
   */
  public static final long RESERVED_CPU_MILLIS = 100;

  public static final long RESERVED_MEMORY_BYTES = 256L << 20;

  /** The CPU containers may request: capacity less the reserve, never below half the capacity. */
  public long allocatableCpuMillis() {
    return Math.max(cpuMillis / 2, cpuMillis - RESERVED_CPU_MILLIS);
  }

  /**
   * The memory containers may request: capacity less the reserve, never below half the capacity.
   */
  public long allocatableMemoryBytes() {
    return Math.max(memoryBytes / 2, memoryBytes - RESERVED_MEMORY_BYTES);
  }

  /** Where this agent keeps its state, and its cgroup parent. */
  public AgentLayout layout() {
    return new AgentLayout(stateDir, nodeName);
  }
}
