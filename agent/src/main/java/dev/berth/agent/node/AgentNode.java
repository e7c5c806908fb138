package dev.berth.agent.node;

import com.hazelcast.core.HazelcastInstance;
import dev.berth.agent.images.ImageStore;
import dev.berth.agent.images.registry.ImagePuller;
import dev.berth.agent.images.registry.RegistryClient;
import dev.berth.agent.images.snapshot.Snapshotter;
import dev.berth.agent.reconcile.Reconciler;
import dev.berth.agent.reconcile.ReconcilerConfig;
import dev.berth.runtime.ContainerRuntime;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One node agent: the runtime, image store and snapshots under its state directory, and its verticles
 * (assignment consumer, reconciler, status and lease), each with one concern, plus /metrics.
 */
public final class AgentNode {
  private final Vertx vertx;
  private final AgentConfig config;
  private final Reconciler reconciler;
  private final ImageStore images;
  private final ExecutorService unpackers;
  private final List<String> deployments = new ArrayList<>();
  private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private int metricsPort;

  private AgentNode(Vertx vertx, AgentConfig config) throws IOException {
    this.vertx = vertx;
    this.config = config;
    Files.createDirectories(config.stateDir());
    this.images = new ImageStore(config.stateDir().resolve("images"));
    this.unpackers = Executors.newFixedThreadPool(2);
    ContainerRuntime runtime = new ContainerRuntime(config.stateDir().resolve("runtime"));
    Snapshotter snapshots = new Snapshotter(images.content(), config.stateDir().resolve("snapshots"),
        Snapshotter.overlaySupported(), unpackers);
    this.reconciler = new Reconciler(new ReconcilerConfig(config.stateDir(), config.nodeName(), config.cgroupParent()),
        runtime, images, snapshots, new ImagePuller(new RegistryClient(Map.of()), images, unpackers),
        System::currentTimeMillis);
  }

  /** Starts the agent's verticles; completes once all are deployed and /metrics listens. */
  public static Future<AgentNode> start(Vertx vertx, AgentConfig config, HazelcastInstance hazelcast) {
    AgentNode node;
    try {
      node = new AgentNode(vertx, config);
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
    DesiredSet desired = new DesiredSet();
    ReconcileVerticle reconcile = new ReconcileVerticle(config, desired, node.reconciler, node.metrics);
    Router router = Router.router(vertx);
    router.get("/metrics").handler(ctx -> ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4")
        .end(node.metrics.scrape()));
    return vertx.deployVerticle(reconcile).onSuccess(node.deployments::add)
        .compose(id -> vertx.deployVerticle(new StatusVerticle(config, hazelcast, reconcile::lastReports)))
        .onSuccess(node.deployments::add)
        .compose(id -> vertx.deployVerticle(new AssignmentConsumerVerticle(config, desired)))
        .onSuccess(node.deployments::add)
        .compose(id -> vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"))
        .map(server -> {
          node.metricsPort = server.actualPort();
          return node;
        });
  }

  public ImageStore images() {
    return images;
  }

  public Reconciler reconciler() {
    return reconciler;
  }

  public int metricsPort() {
    return metricsPort;
  }

  /** Stops the verticles; the containers keep running (a restarted agent adopts them). */
  public Future<Void> stop() {
    Future<Void> chain = Future.succeededFuture();
    for (String id : deployments) {
      chain = chain.compose(v -> vertx.undeploy(id));
    }
    return chain.onComplete(v -> unpackers.shutdownNow());
  }
}
