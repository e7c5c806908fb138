package dev.berth.controlplane.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.controlplane.auth.ApiErrors;
import dev.berth.controlplane.auth.ApiToken;
import dev.berth.controlplane.auth.BearerAuthentication;
import dev.berth.controlplane.auth.RateLimit;
import dev.berth.controlplane.auth.Role;
import dev.berth.controlplane.auth.TokenStore;
import dev.berth.model.JsonMapping;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.Optional;

/**
 * GET /v1/containers/{id}/exec/tty: a terminal in a container over a WebSocket (docs/api.md), for
 * operators. The first message says what to run and, from a browser (which cannot set headers),
 * carries the token: {"token": T, "command": [...], "cols": C, "rows": R}; a client that can sends
 * Authorization instead, and is refused before the upgrade. Everything after it goes to and from
 * the node as {@link NodeProxy#terminal} passes it.
 */
final class TerminalProxy implements Handler<RoutingContext> {
  static final long FIRST_MESSAGE_MILLIS = 10_000;
  static final int MAX_FIRST_MESSAGE = 64 * 1024;
  private final Vertx vertx;
  private final TokenStore tokens;
  private final NodeProxy nodes;
  private final RateLimit execs;

  TerminalProxy(Vertx vertx, TokenStore tokens, NodeProxy nodes, RateLimit execs) {
    this.vertx = vertx;
    this.tokens = tokens;
    this.nodes = nodes;
    this.execs = execs;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    String headerToken = BearerAuthentication.secretOf(ctx.request().getHeader("Authorization"));
    if (headerToken != null
        && BearerAuthentication.authorize(tokens, headerToken, Role.OPERATOR).isEmpty()) {
      ApiErrors.end(ctx, 401, "the token is not valid for exec (operator or admin)");
      return;
    }
    if (!"websocket".equalsIgnoreCase(ctx.request().getHeader("Upgrade"))) {
      ApiErrors.end(ctx, 400, "exec/tty is a WebSocket: connect with Upgrade: websocket");
      return;
    }
    String given = headerToken;
    ctx.request().toWebSocket().onSuccess(ws -> awaitStart(ws, id, given));
  }

  private void awaitStart(ServerWebSocket ws, String id, String headerToken) {
    long timeout =
        vertx.setTimer(FIRST_MESSAGE_MILLIS, t -> ws.close((short) 1008, "send the start first"));
    boolean[] started = {false};
    ws.textMessageHandler(
        text -> {
          if (started[0]) {
            return;
          }
          started[0] = true;
          vertx.cancelTimer(timeout);
          ObjectNode start = parse(text);
          if (start == null) {
            ws.close((short) 1007, "the first message is a JSON object");
            return;
          }
          String secret = headerToken != null ? headerToken : start.path("token").asText(null);
          Optional<ApiToken> t = BearerAuthentication.authorize(tokens, secret, Role.OPERATOR);
          if (t.isEmpty()) {
            ws.close((short) 1008, "the token is not valid for exec (operator or admin)");
            return;
          }
          double wait = execs.take(t.get().name()); // the same budget as POST .../exec
          if (wait > 0) {
            ws.close((short) 1013, "too many execs: try again in " + (long) Math.ceil(wait) + " s");
            return;
          }
          ws.pause(); // keystrokes wait for the node
          nodes.terminal(ws, id, t.get().name(), start);
        });
    ws.closeHandler(v -> vertx.cancelTimer(timeout));
  }

  private static ObjectNode parse(String text) {
    if (text.length() > MAX_FIRST_MESSAGE) {
      return null;
    }
    try {
      JsonNode n = JsonMapping.mapper().readTree(text);
      return n instanceof ObjectNode o ? o : null;
    } catch (IOException e) {
      return null;
    }
  }
}
