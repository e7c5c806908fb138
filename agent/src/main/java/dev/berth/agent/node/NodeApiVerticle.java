package dev.berth.agent.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.agent.exec.ContainerExec;
import dev.berth.agent.logs.ContainerLogs;
import dev.berth.agent.logs.LogFollower;
import dev.berth.agent.node.tls.NodeTls;
import dev.berth.agent.node.tls.PeerOrganization;
import dev.berth.model.ApiError;
import dev.berth.model.JsonMapping;
import dev.berth.model.pki.FleetIdentities;
import dev.berth.runtime.ContainerNotFoundException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node API, as the kubelet's: a container's logs (whole, tail, or followed), a command run in a
 * container, and the node's Prometheus metrics. Mutual TLS only: the client shows a certificate of
 * the fleet's CA, and only the control planes may read logs and exec (monitors may also scrape
 * metrics). File reads and exec run on a worker pool.
 */
public final class NodeApiVerticle extends AbstractVerticle {
  private static final long FOLLOW_POLL_MILLIS = 200;
  private final ContainerLogs logs;
  private final ContainerExec exec;
  private final PrometheusMeterRegistry metrics;
  private final int port;
  private final NodeTls tls;
  private WorkerExecutor workers;
  private WorkerExecutor execWorkers;
  private final AtomicInteger execsInFlight = new AtomicInteger();

  /** Execs run at once on a node; as many more may wait, the rest are refused with 429. */
  static final int EXECS_RUNNING = 4;

  static final int EXECS_IN_FLIGHT = 2 * EXECS_RUNNING;
  private HttpServer server;

  public NodeApiVerticle(
      ContainerLogs logs,
      ContainerExec exec,
      PrometheusMeterRegistry metrics,
      int port,
      NodeTls tls) {
    this.tls = tls;
    this.logs = logs;
    this.exec = exec;
    this.metrics = metrics;
    this.port = port;
  }

  @Override
  public void start(Promise<Void> started) {
    workers = vertx.createSharedWorkerExecutor("berth-node-api", 4, 2, TimeUnit.MINUTES);
    // Execs have threads of their own, so that long ones never hold up logs and metrics.
    execWorkers =
        vertx.createSharedWorkerExecutor(
            "berth-node-exec",
            EXECS_RUNNING,
            ContainerExec.MAX_TIMEOUT.toMinutes() + 1,
            TimeUnit.MINUTES);
    Router router = Router.router(vertx);
    PeerOrganization controlPlanes = new PeerOrganization(Set.of(FleetIdentities.CONTROL_PLANES));
    router
        .get("/metrics")
        .handler(
            new PeerOrganization(
                Set.of(FleetIdentities.CONTROL_PLANES, FleetIdentities.MONITORING)))
        .handler(
            ctx ->
                workers
                    .<String>executeBlocking(() -> metrics.scrape(), false)
                    .onSuccess(
                        text ->
                            ctx.response()
                                .putHeader("Content-Type", "text/plain; version=0.0.4")
                                .end(text))
                    .onFailure(ctx::fail));
    router.get("/v1/containers/:id/logs").handler(controlPlanes).handler(this::logs);
    router
        .post("/v1/containers/:id/exec")
        .handler(BodyHandler.create().setBodyLimit(64 * 1024))
        .handler(controlPlanes)
        .handler(this::exec);
    router.get("/v1/containers/:id/exec/tty").handler(controlPlanes).handler(this::terminal);
    server =
        vertx
            .createHttpServer(
                new HttpServerOptions()
                    .setSsl(true)
                    .setClientAuth(ClientAuth.REQUIRED)
                    .setKeyCertOptions(
                        new PemKeyCertOptions()
                            .setCertPath(tls.cert().toString())
                            .setKeyPath(tls.key().toString()))
                    .setTrustOptions(new PemTrustOptions().addCertPath(tls.ca().toString())))
            .requestHandler(router);
    server.listen(port, "127.0.0.1").<Void>mapEmpty().onComplete(started);
  }

  /** host:port of the API, for the node's record in the fleet view. */
  public String address() {
    return "127.0.0.1:" + server.actualPort();
  }

  private record LogsSoFar(Buffer retained, List<LogFollower> followers) {}

  private void logs(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    String stream =
        ctx.queryParams().get("stream") == null ? "all" : ctx.queryParams().get("stream");
    List<String> streams = stream.equals("all") ? ContainerLogs.STREAMS : List.of(stream);
    boolean follow = "true".equals(ctx.queryParams().get("follow"));
    int tail;
    try {
      tail =
          ctx.queryParams().get("tail") == null
              ? 0
              : Integer.parseInt(ctx.queryParams().get("tail"));
    } catch (NumberFormatException e) {
      error(ctx, 400, "tail: not a number: " + ctx.queryParams().get("tail"));
      return;
    }
    workers
        .executeBlocking(
            () -> {
              Buffer out = Buffer.buffer();
              List<LogFollower> followers = new ArrayList<>();
              for (String s : streams) {
                ContainerLogs.Retained retained = logs.retained(id, s, tail);
                out.appendBytes(retained.bytes());
                if (follow) { // on from exactly where the read stopped: nothing written meanwhile
                  // is lost
                  followers.add(new LogFollower(logs.file(id, s), retained.currentFileEnd()));
                }
              }
              return new LogsSoFar(out, followers);
            },
            false)
        .onSuccess(
            r -> {
              HttpServerResponse response =
                  ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8");
              if (!follow) {
                response.end(r.retained());
                return;
              }
              response.setChunked(true).write(r.retained());
              follow(response, r.followers());
            })
        .onFailure(e -> failed(ctx, e));
  }

  /**
   * Polls the files on a worker and writes what is new until the client goes or the container is
   * removed.
   */
  private void follow(HttpServerResponse response, List<LogFollower> followers) {
    long timer =
        vertx.setPeriodic(
            FOLLOW_POLL_MILLIS,
            t ->
                workers
                    .executeBlocking(
                        () -> {
                          Buffer next = Buffer.buffer();
                          boolean gone = false;
                          for (LogFollower f : followers) {
                            byte[] bytes = f.poll();
                            if (bytes == null) {
                              gone = true;
                            } else {
                              next.appendBytes(bytes);
                            }
                          }
                          return gone ? null : next;
                        },
                        true)
                    .onSuccess(
                        next -> {
                          if (response.ended() || response.closed()) {
                            vertx.cancelTimer(t);
                          } else if (next == null) {
                            vertx.cancelTimer(t);
                            response.end();
                          } else if (next.length() > 0) {
                            response.write(next);
                          }
                        }));
    response.closeHandler(v -> vertx.cancelTimer(timer));
  }

  private void exec(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (execsInFlight.incrementAndGet() > EXECS_IN_FLIGHT) {
      execsInFlight.decrementAndGet();
      error(ctx, 429, "this node runs " + EXECS_IN_FLIGHT + " execs already: try again later");
      return;
    }
    execWorkers
        .executeBlocking(
            () -> {
              JsonNode body =
                  JsonMapping.mapper()
                      .readTree(
                          ctx.body().buffer() == null
                              ? new byte[0]
                              : ctx.body().buffer().getBytes());
              List<String> command = new ArrayList<>();
              if (body == null
                  || !body.path("command").isArray()
                  || body.path("command").isEmpty()) {
                throw new IllegalArgumentException(
                    "command: a non-empty list of strings is required");
              }
              body.get("command").forEach(c -> command.add(c.asText()));
              JsonNode timeout = body.path("timeoutSeconds");
              if (!timeout.isMissingNode() && !timeout.canConvertToExactIntegral()) {
                throw new IllegalArgumentException("timeoutSeconds: must be a whole number");
              }
              return exec.run(id, command, Duration.ofSeconds(timeout.asLong(60)));
            },
            false)
        .onComplete(done -> execsInFlight.decrementAndGet())
        .onSuccess(
            r -> {
              ObjectNode out = JsonMapping.mapper().valueToTree(r);
              ctx.response().putHeader("Content-Type", "application/json").end(out.toString());
            })
        .onFailure(e -> failed(ctx, e));
  }

  /** A command with a terminal, over a WebSocket ({@link TerminalSocket}). */
  private void terminal(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (execsInFlight.incrementAndGet() > EXECS_IN_FLIGHT) {
      execsInFlight.decrementAndGet();
      error(ctx, 429, "this node runs " + EXECS_IN_FLIGHT + " execs already: try again later");
      return;
    }
    ctx.request()
        .toWebSocket()
        .onSuccess(
            ws ->
                new TerminalSocket(
                        vertx,
                        ws,
                        execWorkers,
                        r -> {
                          try {
                            return exec.terminal(id, r.command(), r.columns(), r.rows());
                          } catch (Exception e) {
                            throw new IllegalStateException(e.getMessage(), e);
                          }
                        },
                        execsInFlight::decrementAndGet)
                    .run())
        .onFailure(e -> execsInFlight.decrementAndGet());
  }

  private static void failed(RoutingContext ctx, Throwable e) {
    if (e instanceof NoSuchFileException || e instanceof ContainerNotFoundException) {
      error(
          ctx,
          404,
          e instanceof NoSuchFileException nf && nf.getReason() != null
              ? nf.getReason()
              : e.getMessage());
    } else if (e instanceof IllegalArgumentException || e instanceof JsonProcessingException) {
      error(ctx, 400, e.getMessage());
    } else {
      error(ctx, 500, e.getMessage());
    }
  }

  private static void error(RoutingContext ctx, int status, String message) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(new ApiError(message).toString());
  }

  @Override
  public void stop() {
    if (execWorkers != null) {
      execWorkers.close();
    }
    if (workers != null) {
      workers.close();
    }
  }
}
