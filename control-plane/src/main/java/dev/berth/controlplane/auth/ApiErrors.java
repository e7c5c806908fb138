package dev.berth.controlplane.auth;

import dev.berth.model.ApiError;
import io.vertx.ext.web.RoutingContext;

/** Ends a request with Berth's JSON error body. */
public final class ApiErrors {
  private ApiErrors() {}

  public static void end(RoutingContext ctx, int status, String message) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(new ApiError(message).toString());
  }
}
