package dev.berth.controlplane.auth;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * Lets a request on only with a valid bearer token (RFC 6750), and notes whose it is; anything else
 * is answered 401 before any handler sees it. Memory only: it runs on the event loop.
 */
public final class BearerAuthentication implements Handler<RoutingContext> {
  private static final String CALLER = "berth.caller";

  private final TokenStore tokens;

  public BearerAuthentication(TokenStore tokens) {
    this.tokens = tokens;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      challenge(ctx, null, "a bearer token is required (Authorization: Bearer TOKEN)");
      return;
    }
    Optional<ApiToken> token = tokens.authenticate(header.substring(7).trim());
    if (token.isEmpty()) {
      challenge(ctx, "invalid_token", "the token is not valid: unknown, revoked or expired");
      return;
    }
    ctx.put(CALLER, token.get());
    ctx.next();
  }

  private static void challenge(RoutingContext ctx, String error, String message) {
    ctx.response()
        .putHeader(
            "WWW-Authenticate",
            "Bearer realm=\"berth\"" + (error == null ? "" : ", error=\"" + error + "\""));
    ApiErrors.end(ctx, 401, message);
  }

  /** The token of an authenticated request; empty before authentication (or without it). */
  public static Optional<ApiToken> caller(RoutingContext ctx) {
    return Optional.ofNullable(ctx.get(CALLER));
  }

  /** A handler that answers 403 unless the caller's role includes {@code needed}. */
  public static Handler<RoutingContext> requireRole(Role needed) {
    return ctx -> {
      ApiToken t = caller(ctx).orElse(null);
      if (t == null) {
        challenge(ctx, null, "a bearer token is required (Authorization: Bearer TOKEN)");
      } else if (!t.parsedRole().includes(needed)) {
        ApiErrors.end(
            ctx,
            403,
            "token \""
                + t.name()
                + "\" has role "
                + t.role()
                + ", and "
                + ctx.request().method()
                + " "
                + ctx.request().path()
                + " needs "
                + needed.wire());
      } else {
        ctx.next();
      }
    };
  }
}
