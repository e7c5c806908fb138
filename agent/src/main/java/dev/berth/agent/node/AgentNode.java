package dev.berth.agent.node;

import com.hazelcast.core.HazelcastInstance;
import dev.berth.agent.AgentLayout;
import dev.berth.agent.exec.ContainerExec;
import dev.berth.agent.images.ImageStore;
import dev.berth.agent.images.registry.ImagePuller;
import dev.berth.agent.images.registry.RegistryClient;
import dev.berth.agent.images.snapshot.SnapshotException;
import dev.berth.agent.images.snapshot.Snapshotter;
import dev.berth.agent.images.store.PrivateDirs;
import dev.berth.agent.logs.ContainerLogs;
import dev.berth.agent.network.ContainerNetworks;
import dev.berth.agent.network.NameServers;
import dev.berth.agent.network.NetnsPins;
import dev.berth.agent.network.NetworkSettings;
import dev.berth.agent.network.PodNetwork;
import dev.berth.agent.network.UserModeNetwork;
import dev.berth.agent.network.cni.CniException;
import dev.berth.agent.network.cni.CniPlugins;
import dev.berth.agent.network.dns.FleetNames;
import dev.berth.agent.network.dns.NodeNameServers;
import dev.berth.agent.network.dns.ResolvConf;
import dev.berth.agent.reconcile.LeaseFence;
import dev.berth.agent.reconcile.Reconciler;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.userns.HostUserNamespace;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Verticle;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One node agent: the runtime, image store and snapshots under its state directory, and its
 * verticles (assignment consumer, reconciler, status and lease, events, log rotation, metrics, node
 * API), one concern each.
 */
public final class AgentNode {
  private final Vertx vertx;
  private final AgentConfig config;
  private final Reconciler reconciler;
  private final LeaseFence fence;
  private final NodeNameServers nameServers;
  private final ImageStore images;
  private final ExecutorService unpackers;
  private final ExecutorService pullers;
  private final List<String> deployments = new ArrayList<>();
  private final PrometheusMeterRegistry metrics =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ContainerRuntime runtime;
  private final PodNetwork podNetwork;
  private volatile String apiAddress;
  private volatile ReconcileVerticle reconcile;

  private AgentNode(Vertx vertx, AgentConfig config, HazelcastInstance hazelcast)
      throws IOException {
    this.vertx = vertx;
    this.nameServers =
        new NodeNameServers(
            vertx,
            hazelcast,
            FleetNames.DOMAIN,
            ResolvConf.nameservers(Path.of("/etc/resolv.conf")));
    this.config = config;
    AgentLayout layout = config.layout();
    PrivateDirs.create(layout.stateDir());
    // An agent in a user namespace of its own (rootless) cannot make the node's bridge: its
    // containers get user-mode networking instead, and the node takes no pod subnet.
    this.podNetwork =
        HostUserNamespace.isInitial()
            ? PodNetwork.prepare(hazelcast, config.nodeName(), config.network(), layout)
            : null;
    this.images = new ImageStore(layout.images());
    // Downloads and unpacks have pools of their own: a stalled registry cannot hold up unpacking,
    // nor the reverse.
    this.unpackers = Executors.newFixedThreadPool(2);
    this.pullers = Executors.newFixedThreadPool(4);
    this.runtime = new ContainerRuntime(layout.runtime());
    Snapshotter snapshots =
        new Snapshotter(
            images.content(), layout.snapshots(), Snapshotter.overlaySupported(), unpackers);
    try {
      snapshots.pruneDebris();
    } catch (SnapshotException e) {
      throw new IOException(e.getMessage(), e);
    }
    this.fence =
        new LeaseFence(layout.leaseDeadline(), config.leaseMillis(), LeaseFence::monotonicMillis);
    this.reconciler =
        new Reconciler(
            layout,
            runtime,
            images,
            snapshots,
            new ImagePuller(new RegistryClient(config.registries()), images, pullers),
            System::currentTimeMillis,
            new PulledBytes(metrics),
            networks(config, nameServers),
            fence,
            config.policy());
  }

  /** The node's CNI networking; a missing plugin or a broken config stops the agent here. */
  private static ContainerNetworks networks(AgentConfig config, NameServers nameServers)
      throws IOException {
    NetworkSettings s = config.network();
    CniPlugins plugins =
        new CniPlugins(
            s.pluginDirs(), s.pluginTimeout(), config.layout().stateDir().resolve("cni/scratch"));
    try {
      plugins.find("loopback");
      if (!HostUserNamespace.isInitial()) {
        return ContainerNetworks.rootless(
            plugins,
            config.nodeName(),
            NetnsPins.under(config.layout().stateDir().resolve("netns")),
            UserModeNetwork.find());
      }
      return new ContainerNetworks(
          plugins,
          ContainerNetworks.firstNetwork(s.confDir(), plugins),
          config.nodeName(),
          nameServers);
    } catch (CniException e) {
      throw new IOException("agent " + config.nodeName() + ": " + e.getMessage(), e);
    }
  }

  /** Starts the agent's verticles; completes once all are deployed and the node API listens. */
  public static Future<AgentNode> start(
      Vertx vertx, AgentConfig config, HazelcastInstance hazelcast) {
    if (config.tls() == null || !config.tls().present()) {
      return Future.failedFuture(
          new IllegalStateException(
              "node "
                  + config.nodeName()
                  + " has not joined the fleet: no certificate in "
                  + (config.tls() == null ? "its pki directory" : config.tls().cert().getParent())
                  + " (start it with --join-token)"));
    }
    AgentNode node;
    try {
      node = new AgentNode(vertx, config, hazelcast);
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
    ReconcileVerticle reconcile = new ReconcileVerticle(config, node.reconciler, node.metrics);
    ContainerLogs logs =
        new ContainerLogs(
            config.layout().bundles(), config.logMaxBytes(), AgentConfig.LOG_FILES_KEPT);
    NodeApiVerticle api =
        new NodeApiVerticle(
            logs, new ContainerExec(node.runtime), node.metrics, config.apiPort(), config.tls());
    return node.deploy(reconcile)
        .compose(v -> node.deploy(new MetricsVerticle(node.metrics, config.nodeName())))
        .compose(v -> node.deploy(api))
        .compose(v -> node.deploy(new LogRotationVerticle(logs)))
        .compose(v -> node.deploy(new EventsVerticle(config)))
        .compose(v -> node.deploy(new SamplesVerticle(config.nodeName(), node.runtime, hazelcast)))
        .compose(
            v ->
                node.podNetwork == null
                    ? Future.succeededFuture()
                    : node.deploy(new NodeRoutesVerticle(config.nodeName(), hazelcast)))
        .compose(
            v ->
                node.deploy(
                    new StatusVerticle(
                        config, hazelcast, api.address(), node.podNetwork, node.fence)))
        .compose(v -> node.deploy(new AssignmentConsumerVerticle(config)))
        .map(
            v -> {
              node.apiAddress = api.address();
              node.reconcile = reconcile;
              return node;
            });
  }

  private Future<Void> deploy(Verticle v) {
    return vertx.deployVerticle(v).onSuccess(deployments::add).mapEmpty();
  }

  public ImageStore images() {
    return images;
  }

  public Reconciler reconciler() {
    return reconciler;
  }

  /** How many reconcile passes have finished since the agent started. */
  public long reconcilePasses() {
    return reconcile.finishedPasses();
  }

  /** The node's share of the fleet's pod network; null when the operator configured its own. */
  public PodNetwork podNetwork() {
    return podNetwork;
  }

  /** host:port of the node API (logs, exec, /metrics). */
  public String apiAddress() {
    return apiAddress;
  }

  /** Stops the verticles; the containers keep running (a restarted agent adopts them). */
  public Future<Void> stop() {
    Future<Void> chain = Future.succeededFuture();
    for (int i = deployments.size() - 1; i >= 0; i--) {
      String id = deployments.get(i);
      chain = chain.compose(v -> vertx.undeploy(id));
    }
    return chain
        .compose(v -> nameServers.stop())
        .onComplete(
            v -> {
              unpackers.shutdownNow();
              pullers.shutdownNow();
            });
  }
}
