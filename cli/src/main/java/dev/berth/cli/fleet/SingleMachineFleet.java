package dev.berth.cli.fleet;

import com.hazelcast.core.HazelcastInstance;
import dev.berth.agent.AgentLayout;
import dev.berth.agent.images.build.BuildOptions;
import dev.berth.agent.images.build.ImageBuilder;
import dev.berth.agent.images.registry.RegistryHost;
import dev.berth.agent.network.NetworkSettings;
import dev.berth.agent.node.AgentConfig;
import dev.berth.agent.node.AgentNode;
import dev.berth.agent.node.tls.NodeTls;
import dev.berth.agent.security.ContainerPolicy;
import dev.berth.cli.fleetctl.ClientConfig;
import dev.berth.controlplane.ControlPlane;
import dev.berth.controlplane.ControlPlaneConfig;
import dev.berth.controlplane.ControlPlaneEvents;
import dev.berth.controlplane.auth.ApiAccess;
import dev.berth.controlplane.kafka.NodeKafkaGrants;
import dev.berth.controlplane.pki.ApiCredentials;
import dev.berth.controlplane.pki.NodeCertificates;
import dev.berth.dashboard.Dashboard;
import dev.berth.embedded.EmbeddedHazelcast;
import dev.berth.embedded.EmbeddedKafkaBroker;
import dev.berth.embedded.JdkAddressResolver;
import dev.berth.model.fleet.WorkloadSpecs;
import dev.berth.model.image.ImageReference;
import dev.berth.model.pki.CertificateAuthority;
import dev.berth.runtime.bundle.BusyboxRootfs;
import dev.berth.runtime.files.FileTrees;
import dev.berth.runtime.userns.HostUserNamespace;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The whole fleet in one process (`berth up`): an embedded KRaft Kafka broker and Hazelcast member
 * on loopback, the control plane (workload API and scheduler) and one agent, with every bit of
 * state under one directory, so a restart finds its workloads in Kafka and adopts its running
 * containers. Its credentials (the fleet's CA, the API's certificate, the admin token) are in pki/,
 * and client.json tells the berth command how to use them.
 */
public final class SingleMachineFleet implements AutoCloseable {
  /**
   * Where the fleet keeps its state, which loopback ports it uses (0: any free one), its registry
   * settings, and its agent's network settings (CNI configs and plugins, the bridge of the network
   * it writes when none is configured).
   */
  public record Options(
      Path stateDir,
      int kafkaPort,
      int apiPort,
      String nodeName,
      Path examples,
      Map<String, RegistryHost> registries,
      NetworkSettings network,
      ContainerPolicy policy) {
    /** With the default container policy. */
    public Options(
        Path stateDir,
        int kafkaPort,
        int apiPort,
        String nodeName,
        Path examples,
        Map<String, RegistryHost> registries,
        NetworkSettings network) {
      this(
          stateDir,
          kafkaPort,
          apiPort,
          nodeName,
          examples,
          registries,
          network,
          ContainerPolicy.DEFAULT);
    }

    /**
     * The defaults of `berth up`: Berth's CNI config directory, Debian's plugins, bridge berth0.
     */
    public Options(
        Path stateDir,
        int kafkaPort,
        int apiPort,
        String nodeName,
        Path examples,
        Map<String, RegistryHost> registries) {
      this(stateDir, kafkaPort, apiPort, nodeName, examples, registries, NetworkSettings.DEFAULT);
    }
  }

  public static final String EXAMPLE_IMAGE = "local/busybox:1";

  /** Node leases last this long; the scheduler also waits this long after it starts. */
  static final long LEASE_MILLIS = 5000;

  private final EmbeddedKafkaBroker broker;
  private final HazelcastInstance hazelcast;
  private final Vertx vertx;
  private final ControlPlane controlPlane;
  private final AgentNode agent;
  private final FleetLock lock;
  private final Path stateDir;

  private SingleMachineFleet(
      Path stateDir,
      EmbeddedKafkaBroker broker,
      HazelcastInstance hazelcast,
      Vertx vertx,
      ControlPlane controlPlane,
      AgentNode agent,
      FleetLock lock) {
    this.stateDir = stateDir;
    this.lock = lock;
    this.broker = broker;
    this.hazelcast = hazelcast;
    this.vertx = vertx;
    this.controlPlane = controlPlane;
    this.agent = agent;
  }

  public static SingleMachineFleet start(Options o, PrintStream progress) throws Exception {
    FleetLock lock = FleetLock.acquire(o.stateDir());
    try {
      return start(o, progress, lock);
    } catch (Exception | Error e) {
      lock.close();
      throw e;
    }
  }

  private static SingleMachineFleet start(Options o, PrintStream progress, FleetLock lock)
      throws Exception {
    // the CA first: Kafka's certificate comes from it, and Kafka trusts only it
    ApiAccess access = ApiCredentials.ensure(o.stateDir().resolve("pki"), List.of());
    CertificateAuthority ca = CertificateAuthority.openOrCreate(access.dir());
    progress.println(
        "[1/5] Kafka (KRaft, single node, mutual TLS) in " + o.stateDir().resolve("kafka"));
    EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.start(o.stateDir().resolve("kafka"), o.kafkaPort(), ca);
    progress.println("[2/5] Hazelcast member on 127.0.0.1");
    HazelcastInstance hazelcast = EmbeddedHazelcast.start("berth");
    JdkAddressResolver.install();
    Vertx vertx = Vertx.vertx();
    String clusterCidr = ClusterRange.of(o.stateDir());
    progress.println("[3/5] control plane: workload API and scheduler, pods on " + clusterCidr);
    ControlPlaneConfig cpConfig =
        new ControlPlaneConfig(
            broker.bootstrapServers(),
            o.apiPort(),
            "berth-up-" + ProcessHandle.current().pid(),
            LEASE_MILLIS,
            1000,
            clusterCidr,
            access);
    ControlPlane controlPlane =
        await(
            ControlPlane.start(
                vertx, cpConfig, hazelcast, List.of(new Dashboard(cpConfig.kafka()))));
    new ClientConfig(
            "https://127.0.0.1:" + controlPlane.apiPort(), access.caCert(), access.bootstrapToken())
        .write(o.stateDir().resolve(ClientConfig.FILE));
    progress.println(
        "[4/5] agent "
            + o.nodeName()
            + (HostUserNamespace.isInitial()
                ? ", network configs in " + o.network().confDir()
                : ", in a user namespace of its own"));
    Path agentState = AgentLayout.inFleet(o.stateDir(), o.nodeName()).stateDir();
    NodeTls tls = NodeTls.in(agentState.resolve("pki"));
    // the agent joins by the CA's hand: it runs in the control plane's process
    new NodeCertificates(ca).issueLocally(o.nodeName(), List.of(), tls.cert(), tls.key(), tls.ca());
    new NodeKafkaGrants(access.kafka(broker.bootstrapServers())).grant(o.nodeName());
    AgentConfig config =
        AgentConfig.forThisMachine(
                o.nodeName(),
                AgentLayout.inFleet(o.stateDir(), o.nodeName()).stateDir(),
                broker.bootstrapServers(),
                Map.of(),
                LEASE_MILLIS,
                0)
            .withRegistries(o.registries())
            .withNetwork(o.network())
            .withTls(tls)
            .withPolicy(o.policy());
    AgentNode agent = await(AgentNode.start(vertx, config, hazelcast));
    progress.println(
        !HostUserNamespace.isInitial()
            ? "      its network: user-mode, a slirp4netns per container (rootless)"
            : agent.podNetwork() == null
                ? "      its network: the operator's, from " + o.network().confDir()
                : "      its network: bridge "
                    + agent.podNetwork().bridge()
                    + " on "
                    + agent.podNetwork().subnet()
                    + " ("
                    + agent.podNetwork().confFile()
                    + ")");
    SingleMachineFleet fleet =
        new SingleMachineFleet(o.stateDir(), broker, hazelcast, vertx, controlPlane, agent, lock);
    progress.println("[5/5] examples from " + o.examples());
    fleet.applyExamples(o.examples(), progress);
    return fleet;
  }

  /** Builds the busybox example image if the agent lacks it, then applies every example spec. */
  private void applyExamples(Path dir, PrintStream progress) throws Exception {
    if (dir == null || !Files.isDirectory(dir)) {
      return;
    }
    if (agent.images().resolve(ImageReference.parse(EXAMPLE_IMAGE)).isEmpty()) {
      Path rootfs = Files.createTempDirectory("berth-example-rootfs-");
      try {
        new ImageBuilder(agent.images())
            .build(
                BusyboxRootfs.create(rootfs),
                BuildOptions.of(List.of("sh")),
                ImageReference.parse(EXAMPLE_IMAGE));
      } finally {
        FileTrees.delete(rootfs);
      }
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f :
          files
              .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".json"))
              .sorted()
              .toList()) {
        var result =
            controlPlane
                .store()
                .apply(WorkloadSpecs.read(Files.readAllBytes(f), f.toString().endsWith(".yaml")));
        progress.println(
            "      "
                + f.getFileName()
                + ": "
                + result.workload().spec().name()
                + " "
                + result.outcome().name().toLowerCase());
        vertx
            .eventBus()
            .publish(ControlPlaneEvents.WORKLOADS_CHANGED, result.workload().spec().name());
      }
    }
  }

  public int apiPort() {
    return controlPlane.apiPort();
  }

  /** How to reach and use the API, as written to client.json. */
  public ClientConfig client() {
    return ClientConfig.read(stateDir.resolve(ClientConfig.FILE));
  }

  public String kafkaBootstrap() {
    return broker.bootstrapServers();
  }

  public AgentNode agent() {
    return agent;
  }

  public HazelcastInstance hazelcast() {
    return hazelcast;
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /** Stops everything but the containers: a later `berth up` adopts them. */
  @Override
  public void close() throws Exception {
    await(agent.stop());
    await(controlPlane.stop());
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    hazelcast.shutdown();
    broker.close();
    lock.close();
  }
}
