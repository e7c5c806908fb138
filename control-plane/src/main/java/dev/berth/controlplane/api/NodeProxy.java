package dev.berth.controlplane.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hazelcast.core.HazelcastInstance;
import dev.berth.controlplane.auth.ApiToken;
import dev.berth.controlplane.auth.AuditLog;
import dev.berth.controlplane.auth.BearerAuthentication;
import dev.berth.model.ApiError;
import dev.berth.model.JsonMapping;
import dev.berth.model.fleet.ContainerReport;
import dev.berth.model.fleet.FleetMaps;
import dev.berth.model.fleet.NodeRecord;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Passes a container's logs and exec requests through to the node that runs it, as the Kubernetes
 * API server does to the kubelet: the container's node comes from the fleet view, the response is
 * streamed back (a followed log stays open until the client or the node ends it). Each request is
 * audited with who asked once its container is found.
 */
final class NodeProxy {
  private final HazelcastInstance fleetView;
  private final HttpClient client;
  private final WorkerExecutor workers;
  private final AuditLog audit;

  NodeProxy(
      HazelcastInstance fleetView, HttpClient client, WorkerExecutor workers, AuditLog audit) {
    this.fleetView = fleetView;
    this.client = client;
    this.workers = workers;
    this.audit = audit;
  }

  /**
   * Forwards the request (method, path, query, body) to the node API of the container named in the
   * path.
   */
  void forward(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    workers
        .<Target>executeBlocking(
            () -> {
              Target target = target(id);
              audited(ctx, target); // parses the exec body: on the worker, not the event loop
              return target;
            },
            false)
        .compose(
            target -> {
              String[] hostPort = target.nodeAddress().split(":");
              return client
                  .request(
                      new RequestOptions()
                          .setMethod(ctx.request().method())
                          .setHost(hostPort[0])
                          .setPort(Integer.parseInt(hostPort[1]))
                          .setURI(ctx.request().uri()))
                  .compose(
                      req -> {
                        ctx.response()
                            .closeHandler(
                                v -> req.reset()); // the client left: stop following on the node
                        String type = ctx.request().getHeader("Content-Type");
                        if (type != null) {
                          req.putHeader("Content-Type", type);
                        }
                        return ctx.body().buffer() == null
                            ? req.send()
                            : req.send(ctx.body().buffer());
                      })
                  .compose(
                      resp -> {
                        ctx.response().setStatusCode(resp.statusCode()).setChunked(true);
                        String type = resp.getHeader("Content-Type");
                        if (type != null) {
                          ctx.response().putHeader("Content-Type", type);
                        }
                        return resp.pipeTo(ctx.response());
                      });
            })
        .onFailure(
            e -> {
              if (!ctx.response().headWritten()) {
                int status = e instanceof NoSuchContainer ? 404 : 502;
                ctx.response()
                    .setStatusCode(status)
                    .putHeader("Content-Type", "application/json")
                    .end(new ApiError(e.getMessage()).toString());
              } else if (!ctx.response().ended()) {
                ctx.response().reset();
              }
            });
  }

  /**
   * Connects {@code browser} to a terminal in the container on its node (the node API's exec/tty,
   * mutual TLS): audits who ran what, sends the node {@code start} (without the caller's token),
   * then passes frames both ways, output held back while the browser's queue is full. {@code
   * browser} is paused until the node answers, so no keystroke is lost.
   */
  void terminal(ServerWebSocket browser, String id, String actor, ObjectNode start) {
    ObjectNode first = start.deepCopy();
    first.remove("token");
    workers
        .<Target>executeBlocking(
            () -> {
              Target target = target(id);
              audit.record(
                  actor,
                  "exec",
                  target.report().node(),
                  target.report().containerId(),
                  target.report().workload(),
                  first.path("command").toString() + " (terminal)");
              return target;
            },
            false)
        .compose(
            target -> {
              String[] hostPort = target.nodeAddress().split(":");
              return client.webSocket(
                  new WebSocketConnectOptions()
                      .setSsl(true)
                      .setHost(hostPort[0])
                      .setPort(Integer.parseInt(hostPort[1]))
                      .setURI(
                          "/v1/containers/"
                              + URLEncoder.encode(id, StandardCharsets.UTF_8)
                              + "/exec/tty"));
            })
        .onSuccess(
            node -> {
              node.writeTextMessage(first.toString());
              node.binaryMessageHandler(
                  b -> {
                    browser.writeBinaryMessage(b);
                    if (browser.writeQueueFull()) {
                      node.pause();
                      browser.drainHandler(v -> node.resume());
                    }
                  });
              node.textMessageHandler(browser::writeTextMessage);
              node.closeHandler(
                  v ->
                      browser.close(
                          node.closeStatusCode() == null ? 1000 : node.closeStatusCode(),
                          node.closeReason()));
              browser.binaryMessageHandler(node::writeBinaryMessage);
              browser.textMessageHandler(node::writeTextMessage);
              browser.closeHandler(v -> node.close());
              browser.resume();
            })
        .onFailure(
            e -> {
              browser.writeTextMessage(
                  JsonMapping.writeCompact(
                      JsonMapping.mapper().createObjectNode().put("error", e.getMessage())));
              browser.close((short) 1011, "no terminal");
            });
  }

  /** Records who asked for what on the container, before the node is asked. */
  private void audited(RoutingContext ctx, Target target) {
    boolean exec = ctx.request().path().endsWith("/exec");
    String detail = ctx.request().query() == null ? "" : ctx.request().query();
    if (exec) {
      try {
        JsonNode body =
            ctx.body().buffer() == null
                ? null
                : JsonMapping.mapper().readTree(ctx.body().buffer().getBytes());
        detail = body == null ? "" : body.path("command").toString();
      } catch (java.io.IOException e) {
        detail = "(a body that is not JSON)";
      }
    }
    audit.record(
        BearerAuthentication.caller(ctx).map(ApiToken::name).orElse("-"),
        exec ? "exec" : "logs",
        target.report().node(),
        target.report().containerId(),
        target.report().workload(),
        detail);
  }

  /** A container as the fleet reports it, and the address of its node's API. */
  private record Target(ContainerReport report, String nodeAddress) {}

  private Target target(String containerId) throws NoSuchContainer {
    ContainerReport report =
        fleetView.<String, ContainerReport>getMap(FleetMaps.CONTAINERS).get(containerId);
    if (report == null) {
      throw new NoSuchContainer("no container \"" + containerId + "\" is reported by any node");
    }
    NodeRecord node = fleetView.<String, NodeRecord>getMap(FleetMaps.NODES).get(report.node());
    if (node == null || node.apiAddress() == null) {
      throw new NoSuchContainer(
          "node \"" + report.node() + "\" of container \"" + containerId + "\" has no node API");
    }
    if (!node.alive(System.currentTimeMillis())) {
      throw new IllegalStateException(
          "node \"" + report.node() + "\" of container \"" + containerId + "\" is lost");
    }
    return new Target(report, node.apiAddress());
  }

  /** The container (or its node's API) is not in the fleet view. */
  static final class NoSuchContainer extends Exception {
    NoSuchContainer(String message) {
      super(message);
    }
  }
}
