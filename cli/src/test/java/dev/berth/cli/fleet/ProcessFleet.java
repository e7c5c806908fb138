package dev.berth.cli.fleet;

import com.hazelcast.core.HazelcastInstance;
import dev.berth.agent.images.ImageStore;
import dev.berth.agent.images.build.BuildOptions;
import dev.berth.agent.images.build.ImageBuilder;
import dev.berth.cli.BerthCli;
import dev.berth.cli.BerthMain;
import dev.berth.cli.fleetctl.ApiClient;
import dev.berth.cli.fleetctl.ClientConfig;
import dev.berth.controlplane.ControlPlane;
import dev.berth.controlplane.ControlPlaneConfig;
import dev.berth.controlplane.auth.ApiAccess;
import dev.berth.controlplane.auth.Role;
import dev.berth.controlplane.pki.ApiCredentials;
import dev.berth.embedded.EmbeddedHazelcast;
import dev.berth.embedded.EmbeddedKafkaBroker;
import dev.berth.model.fleet.KafkaAccess;
import dev.berth.model.image.ImageReference;
import dev.berth.model.pki.CertificateAuthority;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.bundle.BusyboxRootfs;
import dev.berth.runtime.files.FileTrees;
import dev.berth.testing.ChildJvm;
import dev.berth.testing.StrictVertx;
import io.vertx.core.Future;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A fleet of processes on this machine for tests: a Kafka broker and a control plane (a Hazelcast
 * member) in this JVM, agents as `berth agent` child processes with a state directory each. Closing
 * it stops everything and removes what the agents left (`berth down`) and the work directory.
 */
final class ProcessFleet implements AutoCloseable {
  static final String IMAGE = "local/busybox:1";

  private final Path work;
  private final String cluster;
  private final StrictVertx strict = new StrictVertx(500);
  private final HazelcastInstance hz;
  private final List<ChildJvm> agents = new ArrayList<>();
  private EmbeddedKafkaBroker broker;
  private ControlPlane controlPlane;
  private final ApiAccess access;

  private ProcessFleet(
      Path work,
      String cluster,
      HazelcastInstance hz,
      ApiAccess access,
      EmbeddedKafkaBroker broker) {
    this.access = access;
    this.work = work;
    this.cluster = cluster;
    this.hz = hz;
    this.broker = broker;
  }

  /** Broker, Hazelcast member and a control plane with a 3 s lease and pods on {@code range}. */
  static ProcessFleet start(String cluster, String range) throws Exception {
    Path work = Files.createTempDirectory(cluster + "-");
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
    HazelcastInstance hz = EmbeddedHazelcast.start(cluster);
    ApiAccess access = ApiCredentials.ensure(work.resolve("pki"), List.of());
    ProcessFleet fleet =
        new ProcessFleet(
            work,
            cluster,
            hz,
            access,
            EmbeddedKafkaBroker.start(work.resolve("kafka"), 0, ca(access)));
    try {
      fleet.controlPlane =
          get(
              ControlPlane.start(
                  fleet.strict.vertx(),
                  new ControlPlaneConfig(fleet.kafka(), 0, "cp", 3000, 500, range, fleet.access),
                  hz));
    } catch (Exception e) {
      fleet.close();
      throw e;
    }
    return fleet;
  }

  Path work() {
    return work;
  }

  HazelcastInstance hazelcast() {
    return hz;
  }

  String kafka() {
    return broker.bootstrapServers();
  }

  /** Kafka as a control plane reaches it (mutual TLS, super user). */
  KafkaAccess kafkaAccess() {
    return access.kafka(kafka());
  }

  private static CertificateAuthority ca(ApiAccess access) {
    return CertificateAuthority.openOrCreate(access.dir());
  }

  /** The client config (server, CA, admin token) of the control plane, for --config. */
  String config() {
    Path file = work.resolve(ClientConfig.FILE);
    if (!Files.exists(file)) {
      new ClientConfig(
              "https://127.0.0.1:" + controlPlane.apiPort(),
              access.caCert(),
              access.bootstrapToken())
          .write(file);
    }
    return file.toString();
  }

  /** A client of the API with the admin token. */
  ApiClient api() {
    return new ApiClient(ClientConfig.read(Path.of(config())), Path.of(config()));
  }

  /** Builds the busybox image into {@code node}'s image store (before its agent starts). */
  void buildImage(String node) throws Exception {
    Path rootfs = work.resolve("rootfs-" + node);
    new ImageBuilder(new ImageStore(work.resolve("agent-" + node + "/images")))
        .build(
            BusyboxRootfs.create(rootfs),
            BuildOptions.of(List.of("sh")),
            ImageReference.parse(IMAGE));
    FileTrees.delete(rootfs);
  }

  /** What {@code node}'s runtime holds. */
  ContainerRuntime runtimeOf(String node) {
    return new ContainerRuntime(work.resolve("agent-" + node + "/runtime"));
  }

  /**
   * Starts `berth agent` for {@code node} with {@code args} besides the fleet's; waits for ready.
   */
  ChildJvm agent(String node, String... args) throws Exception {
    List<String> argv =
        new ArrayList<>(
            List.of(
                "agent",
                "--node",
                node,
                "--kafka",
                kafka(),
                "--hazelcast",
                "127.0.0.1:" + hz.getCluster().getLocalMember().getAddress().getPort(),
                "--cluster",
                cluster,
                "--state-dir",
                work.resolve("agent-" + node).toString()));
    if (!Files.exists(work.resolve("agent-" + node + "/pki/node.crt"))) {
      // the node's first start: it joins with a join token, as `kubeadm join` does
      argv.addAll(
          List.of(
              "--join-token",
              controlPlane.tokens().create("join-" + node, Role.JOIN, 600_000),
              "--server",
              "https://127.0.0.1:" + controlPlane.apiPort(),
              "--ca-cert",
              access.caCert().toString()));
    }
    argv.addAll(List.of(args));
    ChildJvm p =
        ChildJvm.start(
            work.resolve(node + ".log"), BerthMain.class.getName(), argv.toArray(String[]::new));
    agents.add(p);
    p.awaitLine("agent " + node + " ready", 60_000);
    return p;
  }

  /** A JDK HTTP client with a monitor's certificate: may scrape a node API's /metrics. */
  java.net.http.HttpClient monitor() {
    return ClientCertificates.client(
        access.dir(), dev.berth.model.pki.FleetIdentities.MONITORING, work);
  }

  /** Stops the broker and starts it again on the same port and log. */
  void restartBroker() throws Exception {
    String kafka = kafka();
    broker.close();
    broker =
        EmbeddedKafkaBroker.start(
            work.resolve("kafka"),
            Integer.parseInt(kafka.substring(kafka.lastIndexOf(':') + 1)),
            ca(access));
  }

  /** No event loop of the control plane was blocked. */
  void assertNeverBlocked() {
    strict.assertNeverBlocked();
  }

  @Override
  public void close() throws Exception {
    for (ChildJvm p : agents) {
      p.close();
    }
    if (controlPlane != null) {
      get(controlPlane.stop());
    }
    strict.close();
    hz.shutdown();
    broker.close();
    // containers, cgroups, networks; a second try for what a transient failure kept (the state
    // that says what to undo is deleted only once down succeeded)
    var down = BerthCli.run("down", "--state-dir", work.toString());
    if (down.exit() != 0) {
      down = BerthCli.run("down", "--state-dir", work.toString());
    }
    if (down.exit() != 0) {
      throw new AssertionError("berth down left things behind in " + work + ": " + down.err());
    }
    FileTrees.delete(work);
  }

  static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
