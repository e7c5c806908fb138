package dev.berth.controlplane.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.JsonMapping;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The token routes: GET /v1/whoami for anyone authenticated; list, create and revoke tokens
 * (/v1/tokens) for admins. A created token's secret is in that one answer only.
 */
public final class TokenApi {
  /** A year: tokens that should last longer are made without a lifetime, on purpose. */
  static final long MAX_TTL_SECONDS = 366L * 24 * 3600;

  private final TokenStore tokens;
  private final WorkerExecutor workers;

  public TokenApi(TokenStore tokens, WorkerExecutor workers) {
    this.tokens = tokens;
    this.workers = workers;
  }

  /** Adds the routes to {@code router}, after authentication. */
  public void mount(Router router) {
    router.get("/v1/whoami").handler(this::whoami);
    router
        .get("/v1/tokens")
        .handler(BearerAuthentication.requireRole(Role.ADMIN))
        .handler(this::list);
    router
        .post("/v1/tokens")
        .handler(BodyHandler.create().setBodyLimit(4096))
        .handler(BearerAuthentication.requireRole(Role.ADMIN))
        .handler(this::create);
    router
        .delete("/v1/tokens/:name")
        .handler(BearerAuthentication.requireRole(Role.ADMIN))
        .handler(this::revoke);
  }

  private void whoami(RoutingContext ctx) {
    ApiToken t = BearerAuthentication.caller(ctx).orElseThrow();
    ok(
        ctx,
        200,
        JsonMapping.mapper().createObjectNode().put("name", t.name()).put("role", t.role()));
  }

  private void list(RoutingContext ctx) {
    ObjectNode out = JsonMapping.mapper().createObjectNode();
    ArrayNode items = out.putArray("items");
    for (ApiToken t : tokens.list()) {
      items
          .addObject()
          .put("name", t.name())
          .put("role", t.role())
          .put("createdMillis", t.createdMillis())
          .put("expiresMillis", t.expiresMillis());
    }
    ok(ctx, 200, out);
  }

  private void create(RoutingContext ctx) {
    JsonNode body;
    try {
      body =
          JsonMapping.mapper()
              .readTree(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
    } catch (java.io.IOException e) {
      ApiErrors.end(ctx, 400, "the body is not JSON: " + e.getMessage());
      return;
    }
    if (body == null || !body.path("name").isTextual() || !body.path("role").isTextual()) {
      ApiErrors.end(
          ctx,
          400,
          "send {\"name\": NAME, \"role\": viewer|operator|admin|join, \"ttlSeconds\": N}");
      return;
    }
    String name = body.get("name").asText();
    JsonNode ttl = body.path("ttlSeconds");
    if (!ttl.isMissingNode()
        && (!ttl.canConvertToExactIntegral()
            || !ttl.canConvertToLong()
            || ttl.asLong() < 1
            || ttl.asLong() > MAX_TTL_SECONDS)) {
      ApiErrors.end(ctx, 400, "ttlSeconds: a whole number from 1 to " + MAX_TTL_SECONDS);
      return;
    }
    Role role;
    try {
      role = Role.parse(body.get("role").asText());
    } catch (IllegalArgumentException e) {
      ApiErrors.end(ctx, 400, e.getMessage());
      return;
    }
    // join tokens last a day unless told otherwise, as kubeadm's bootstrap tokens
    long ttlMillis =
        !ttl.isMissingNode() ? ttl.asLong() * 1000 : role == Role.JOIN ? 24L * 3600 * 1000 : 0;
    workers
        .executeBlocking(() -> tokens.create(name, role, ttlMillis), false)
        .onSuccess(
            secret ->
                ok(
                    ctx,
                    201,
                    JsonMapping.mapper()
                        .createObjectNode()
                        .put("name", name)
                        .put("role", role.wire())
                        .put("token", secret)))
        .onFailure(e -> failed(ctx, e));
  }

  private void revoke(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    workers
        .executeBlocking(() -> tokens.revoke(name), false)
        .onSuccess(
            revoked -> {
              if (revoked) {
                ok(
                    ctx,
                    200,
                    JsonMapping.mapper().createObjectNode().put("message", "revoked " + name));
              } else {
                ApiErrors.end(ctx, 404, "no token named \"" + name + "\"");
              }
            })
        .onFailure(e -> failed(ctx, e));
  }

  private static void failed(RoutingContext ctx, Throwable e) {
    if (e instanceof TokenStore.Conflict) {
      ApiErrors.end(ctx, 409, e.getMessage());
    } else if (e instanceof IllegalArgumentException) {
      ApiErrors.end(ctx, 400, e.getMessage());
    } else {
      ApiErrors.end(ctx, 503, "the token store failed: " + e.getMessage());
    }
  }

  private static void ok(RoutingContext ctx, int status, ObjectNode body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(body.toString());
  }
}
