package dev.berth.dashboard.watch;

import dev.berth.controlplane.auth.ApiErrors;
import dev.berth.controlplane.auth.BearerAuthentication;
import dev.berth.controlplane.auth.Role;
import dev.berth.controlplane.auth.TokenStore;
import dev.berth.model.JsonMapping;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * GET /v1/watch: the fleet as a WebSocket stream (docs/api.md). A client that can set headers (the
 * CLI) sends its bearer token in Authorization, and is refused with 401 before the upgrade; a
 * browser, which cannot, sends {"token": "..."} as its first message within {@link #LOGIN_MILLIS},
 * or the socket is closed with 1008. Viewers and up may watch; at most {@link #MAX_WATCHERS} at
 * once per control plane.
 */
public final class WatchEndpoint implements Handler<RoutingContext> {
  static final long LOGIN_MILLIS = 10_000;
  public static final int MAX_WATCHERS = 1024;
  private final Vertx vertx;
  private final TokenStore tokens;
  private final AtomicInteger open = new AtomicInteger();

  public WatchEndpoint(Vertx vertx, TokenStore tokens) {
    this.vertx = vertx;
    this.tokens = tokens;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String secret = BearerAuthentication.secretOf(ctx.request().getHeader("Authorization"));
    if (secret != null && !allowed(tokens, secret)) {
      ApiErrors.end(ctx, 401, "the token is not valid for watching: unknown, revoked, expired");
      return;
    }
    if (!"websocket".equalsIgnoreCase(ctx.request().getHeader("Upgrade"))) {
      ApiErrors.end(ctx, 400, "/v1/watch is a WebSocket: connect with Upgrade: websocket");
      return;
    }
    if (open.incrementAndGet() > MAX_WATCHERS) {
      open.decrementAndGet();
      ApiErrors.end(ctx, 503, "this control plane has " + MAX_WATCHERS + " watchers: try another");
      return;
    }
    String given = secret;
    ctx.request()
        .toWebSocket()
        .onSuccess(
            ws -> {
              if (given != null) {
                session(ws, given);
              } else {
                login(ws);
              }
            })
        .onFailure(e -> open.decrementAndGet());
  }

  /** Waits for the first message to carry a valid token. */
  private void login(ServerWebSocket ws) {
    long timeout =
        vertx.setTimer(
            LOGIN_MILLIS,
            t -> ws.close((short) 1008, "send {\"token\": ...} first").onComplete(v -> {}));
    boolean[] done = {false};
    ws.closeHandler(
        v -> {
          if (!done[0]) {
            done[0] = true;
            vertx.cancelTimer(timeout);
            open.decrementAndGet();
          }
        });
    ws.textMessageHandler(
        text -> {
          if (done[0]) {
            return;
          }
          done[0] = true;
          vertx.cancelTimer(timeout);
          String secret = tokenIn(text);
          if (secret == null || !allowed(tokens, secret)) {
            open.decrementAndGet();
            ws.close((short) 1008, "the token is not valid: unknown, revoked or expired");
            return;
          }
          session(ws, secret);
        });
  }

  private void session(ServerWebSocket ws, String secret) {
    new WatchSession(vertx, ws, tokens, secret, open::decrementAndGet).start();
  }

  private static String tokenIn(String text) {
    if (text.length() > WatchSession.MAX_CLIENT_MESSAGE) {
      return null;
    }
    try {
      var msg = JsonMapping.mapper().readTree(text);
      return msg != null && msg.path("token").isTextual() ? msg.get("token").asText() : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** Whether {@code secret} is a valid token whose role may watch. */
  static boolean allowed(TokenStore tokens, String secret) {
    return BearerAuthentication.authorize(tokens, secret, Role.VIEWER).isPresent();
  }
}
