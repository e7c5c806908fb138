package dev.berth.controlplane.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.berth.controlplane.ControlPlaneEvents;
import dev.berth.controlplane.auth.ApiAccess;
import dev.berth.controlplane.auth.ApiGuard;
import dev.berth.controlplane.auth.BearerAuthentication;
import dev.berth.controlplane.auth.RateLimit;
import dev.berth.controlplane.auth.RequestLog;
import dev.berth.controlplane.auth.Role;
import dev.berth.controlplane.auth.TokenApi;
import dev.berth.controlplane.cluster.NodeRemoval;
import dev.berth.controlplane.specs.ApplyResult;
import dev.berth.controlplane.specs.WorkloadStore;
import dev.berth.model.ApiError;
import dev.berth.model.JsonMapping;
import dev.berth.model.fleet.ContainerReport;
import dev.berth.model.fleet.FleetMaps;
import dev.berth.model.fleet.NodeRecord;
import dev.berth.model.fleet.SchedulingStatus;
import dev.berth.model.fleet.SpecLimits;
import dev.berth.model.fleet.StoredWorkload;
import dev.berth.model.fleet.WorkloadSpecs;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The control plane's REST API: workloads (apply with POST or PUT, get, list, delete, in JSON or
 * YAML) and, given the fleet view, nodes and containers, over TLS only and to bearer tokens only:
 * reads need a viewer, changes and exec an operator, tokens an admin. Parsing, store and Hazelcast
 * calls run on a worker pool; the event loop only routes.
 */
public final class FleetApiVerticle extends AbstractVerticle {
  /** Specs are small; anything larger is refused before it is parsed. */
  public static final long MAX_BODY = 1 << 20;

  private static final YAMLMapper YAML = new YAMLMapper();

  private final WorkloadStore store;
  private final HazelcastInstance fleetView;
  private final int port;
  private final SpecLimits limits;
  private final ApiGuard guard;
  private final List<ApiExtension> extensions;

  /** Connections to one node's API: its execs in flight (8) and room for logs and follows. */
  static final int NODE_CONNECTIONS = 32;

  private WorkerExecutor workers;
  private HttpServer server;
  private List<String> hosts = List.of("127.0.0.1");
  private final List<HttpServer> others = new ArrayList<>();

  /** The workload routes alone (tests of the store and the command line). */
  public FleetApiVerticle(WorkloadStore store, ApiGuard guard, int port) {
    this(store, null, port, SpecLimits.DEFAULT, guard, List.of());
  }

  /**
   * With {@code fleetView}, also GET /v1/nodes and /v1/containers from the live view in Hazelcast
   * and the logs and exec proxy.
   */
  public FleetApiVerticle(
      WorkloadStore store,
      HazelcastInstance fleetView,
      int port,
      SpecLimits limits,
      ApiGuard guard,
      List<ApiExtension> extensions) {
    this.extensions = List.copyOf(extensions);
    this.store = store;
    this.fleetView = fleetView;
    this.port = port;
    this.limits = limits;
    this.guard = guard;
  }

  /**
   * Listens on {@code addresses} (the first on the port given, the others on the same port), not
   * only on loopback: before the verticle is deployed.
   */
  public FleetApiVerticle listeningOn(List<String> addresses) {
    this.hosts = List.copyOf(addresses);
    return this;
  }

  @Override
  public void start(Promise<Void> started) {
    workers = vertx.createSharedWorkerExecutor("berth-api", 4);
    ApiAccess access = guard.access();
    Handler<RoutingContext> viewer = BearerAuthentication.requireRole(Role.VIEWER);
    Handler<RoutingContext> operator = BearerAuthentication.requireRole(Role.OPERATOR);
    RateLimit applies =
        new RateLimit("apply", access.limits().applyPerSecond(), access.limits().applyBurst());
    Router router = Router.router(vertx);
    // Logged, then authenticated, before anything else: a body is read only for a known caller
    // (Vert.x Web wants a route's body handler before its own handlers, so roles come after it).
    router.route().handler(new RequestLog(guard.requestLog()));
    // Enough connections a node that long execs (at most 8 a node, the node refuses more) never
    // queue a logs request behind them.
    NodeProxy proxy =
        fleetView == null
            ? null
            : new NodeProxy(
                fleetView,
                vertx.createHttpClient(
                    // mutual TLS: the node proves it is a node of this fleet, we that we are its
                    // control plane
                    new HttpClientOptions()
                        .setSsl(true)
                        .setVerifyHost(true)
                        .setTrustOptions(
                            new PemTrustOptions().addCertPath(access.caCert().toString()))
                        .setKeyCertOptions(
                            new PemKeyCertOptions()
                                .setCertPath(access.proxyCert().toString())
                                .setKeyPath(access.proxyKey().toString())),
                    new PoolOptions().setHttp1MaxSize(NODE_CONNECTIONS)),
                workers,
                guard.audit());
    ApiContext context = new ApiContext(vertx, workers, fleetView, store, guard);
    RateLimit execs =
        new RateLimit("exec", access.limits().execPerSecond(), access.limits().execBurst());
    if (proxy != null) {
      // Before the bearer check: a browser's WebSocket signs in with its first message.
      router
          .get("/v1/containers/:id/exec/tty")
          .handler(new TerminalProxy(vertx, guard.tokens(), proxy, execs));
    }
    extensions.forEach(e -> e.mountPublic(router, context));
    router.route().handler(new BearerAuthentication(guard.tokens()));
    new TokenApi(guard.tokens(), workers).mount(router);
    BodyHandler specBody = BodyHandler.create().setBodyLimit(MAX_BODY);
    router
        .post("/v1/workloads")
        .handler(specBody)
        .handler(operator)
        .handler(applies)
        .handler(this::apply);
    router
        .put("/v1/workloads")
        .handler(specBody)
        .handler(operator)
        .handler(applies)
        .handler(this::apply);
    router.get("/v1/workloads").handler(viewer).handler(this::list);
    router.get("/v1/workloads/:name").handler(viewer).handler(this::get);
    router.delete("/v1/workloads/:name").handler(operator).handler(applies).handler(this::delete);
    if (fleetView != null) {
      router.get("/v1/nodes").handler(viewer).handler(this::nodes);
      if (guard.nodeCertificates() != null) {
        new NodeJoinApi(guard.nodeCertificates(), guard.kafkaGrants(), workers).mount(router);
      }
      router.delete("/v1/nodes/:name").handler(operator).handler(applies).handler(this::deleteNode);
      router.get("/v1/containers").handler(viewer).handler(this::containers);
      router.get("/v1/containers/:id/logs").handler(viewer).handler(proxy::forward);
      router
          .post("/v1/containers/:id/exec")
          .handler(BodyHandler.create().setBodyLimit(64 * 1024))
          .handler(operator)
          .handler(execs)
          .handler(proxy::forward);
    }
    List<Future<Void>> mounted = new ArrayList<>();
    extensions.forEach(e -> mounted.add(e.mount(router, context)));
    router.route().failureHandler(this::failure);
    HttpServerOptions options =
        new HttpServerOptions()
            .setSsl(true)
            .setKeyCertOptions(
                new PemKeyCertOptions()
                    .setCertPath(access.servingCert().toString())
                    .setKeyPath(access.servingKey().toString()));
    server = vertx.createHttpServer(options).requestHandler(router);
    Future<?> listening = Future.all(mounted).compose(v -> server.listen(port, hosts.get(0)));
    for (String host : hosts.subList(1, hosts.size())) {
      HttpServer other = vertx.createHttpServer(options).requestHandler(router);
      others.add(other);
      listening = listening.compose(v -> other.listen(server.actualPort(), host));
    }
    listening.<Void>mapEmpty().onComplete(started);
  }

  /** The port the API listens on (the one given, or the one chosen for 0). */
  public int actualPort() {
    return server.actualPort();
  }

  private void apply(RoutingContext ctx) {
    byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    String type = ctx.request().getHeader("Content-Type");
    boolean yaml = isYaml(type);
    if (!yaml && type != null && !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      respond(
          ctx,
          415,
          message(
              "Content-Type "
                  + type
                  + " is not a spec: send application/json or application/yaml"));
      return;
    }
    workers
        .<ApplyResult>executeBlocking(
            () -> store.apply(WorkloadSpecs.read(body, yaml, limits), limits.maxFleetReplicas()),
            false)
        .onSuccess(
            r -> {
              if (r.outcome() != ApplyResult.Outcome.UNCHANGED) {
                vertx
                    .eventBus()
                    .publish(ControlPlaneEvents.WORKLOADS_CHANGED, r.workload().spec().name());
              }
              ObjectNode out = WorkloadViews.describe(r.workload());
              out.put("outcome", r.outcome().name().toLowerCase(Locale.ROOT));
              respond(ctx, r.outcome() == ApplyResult.Outcome.CREATED ? 201 : 200, out);
            })
        .onFailure(e -> error(ctx, e));
  }

  private void list(RoutingContext ctx) {
    workers
        .executeBlocking(store::list, false)
        .onSuccess(
            all -> {
              ObjectNode out = JsonMapping.mapper().createObjectNode();
              ArrayNode items = out.putArray("items");
              all.forEach(w -> items.add(WorkloadViews.describe(w)));
              respond(ctx, 200, out);
            })
        .onFailure(e -> error(ctx, e));
  }

  private void get(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    workers
        .executeBlocking(() -> store.get(name).map(this::withStatus), false)
        .onSuccess(
            w -> {
              if (w.isEmpty()) {
                respond(ctx, 404, message("no workload named \"" + name + "\""));
              } else {
                respond(ctx, 200, w.get());
              }
            })
        .onFailure(e -> error(ctx, e));
  }

  private void delete(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    workers
        .executeBlocking(() -> store.delete(name), false)
        .onSuccess(
            deleted -> {
              if (deleted) {
                vertx.eventBus().publish(ControlPlaneEvents.WORKLOADS_CHANGED, name);
              }
              respond(
                  ctx,
                  deleted ? 200 : 404,
                  message(deleted ? "deleted " + name : "no workload named \"" + name + "\""));
            })
        .onFailure(e -> error(ctx, e));
  }

  private void nodes(RoutingContext ctx) {
    workers
        .executeBlocking(
            () -> {
              IMap<String, NodeRecord> map = fleetView.getMap(FleetMaps.NODES);
              long now = System.currentTimeMillis();
              ObjectNode out = JsonMapping.mapper().createObjectNode();
              ArrayNode items = out.putArray("items");
              map.values().stream()
                  .sorted(Comparator.comparing(NodeRecord::name))
                  .forEach(
                      n -> {
                        ObjectNode item = JsonMapping.mapper().valueToTree(n);
                        item.put("alive", n.alive(now));
                        items.add(item);
                      });
              return out;
            },
            false)
        .onSuccess(out -> respond(ctx, 200, out))
        .onFailure(e -> error(ctx, e));
  }

  private void deleteNode(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    workers
        .executeBlocking(
            () -> new NodeRemoval(fleetView, System::currentTimeMillis).remove(name), false)
        .onSuccess(
            outcome -> {
              switch (outcome) {
                case REMOVED -> respond(ctx, 200, message("deleted node " + name));
                case ALIVE ->
                    respond(
                        ctx,
                        409,
                        message(
                            "node \""
                                + name
                                + "\" is alive (its agent renews its lease): stop its agent first"));
                case UNKNOWN -> respond(ctx, 404, message("no node named \"" + name + "\""));
              }
            })
        .onFailure(e -> error(ctx, e));
  }

  private void containers(RoutingContext ctx) {
    workers
        .executeBlocking(
            () -> {
              IMap<String, ContainerReport> map = fleetView.getMap(FleetMaps.CONTAINERS);
              ObjectNode out = JsonMapping.mapper().createObjectNode();
              ArrayNode items = out.putArray("items");
              map.values().stream()
                  .sorted(Comparator.comparing(ContainerReport::containerId))
                  .forEach(c -> items.add(JsonMapping.mapper().valueToTree(c)));
              return out;
            },
            false)
        .onSuccess(out -> respond(ctx, 200, out))
        .onFailure(e -> error(ctx, e));
  }

  private void failure(RoutingContext ctx) {
    if (ctx.statusCode() == 413) {
      // The client sent a bad request; say what was wrong with it.
      respond(
          ctx,
          400,
          message(
              "request body larger than " + MAX_BODY + " bytes: a workload spec is far smaller"));
    } else {
      respond(
          ctx,
          ctx.statusCode() > 0 ? ctx.statusCode() : 500,
          message(ctx.failure() == null ? "failed" : String.valueOf(ctx.failure().getMessage())));
    }
  }

  private void error(RoutingContext ctx, Throwable e) {
    if (e instanceof WorkloadSpecs.InvalidWorkloadException invalid) {
      ObjectNode out = message("invalid workload");
      ArrayNode details = out.putArray("details");
      invalid.errors().forEach(err -> details.add(err.toString()));
      ArrayNode fields = out.putArray("errors"); // the same, by field: editors mark the line
      invalid
          .errors()
          .forEach(err -> fields.addObject().put("path", err.path()).put("message", err.message()));
      respond(ctx, 400, out);
    } else {
      respond(ctx, 503, message("the spec store failed: " + e.getMessage()));
    }
  }

  /**
   * The workload with what the scheduler's last pass did with it (a Hazelcast read: on a worker).
   */
  private ObjectNode withStatus(StoredWorkload w) {
    ObjectNode out = WorkloadViews.describe(w);
    if (fleetView == null) {
      return out; // an API without the fleet view (tests of the store alone)
    }
    IMap<String, SchedulingStatus> statuses = fleetView.getMap(FleetMaps.SCHEDULING);
    return WorkloadViews.withStatus(out, w, statuses.get(w.spec().name()));
  }

  private static ObjectNode message(String text) {
    return new ApiError(text).json();
  }

  private static boolean isYaml(String type) {
    return type != null && (type.contains("yaml") || type.contains("yml"));
  }

  private static void respond(RoutingContext ctx, int status, ObjectNode body) {
    boolean yaml = isYaml(ctx.request().getHeader("Accept"));
    try {
      String text = yaml ? YAML.writeValueAsString(body) : JsonMapping.writeCompact(body);
      ctx.response()
          .setStatusCode(status)
          .putHeader("Content-Type", yaml ? "application/yaml" : "application/json")
          .end(text);
    } catch (IOException e) {
      ctx.response().setStatusCode(500).end();
    }
  }

  @Override
  public void stop() {
    if (workers != null) {
      workers.close();
    }
  }
}
