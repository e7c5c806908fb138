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
    String secret = secretOf(ctx.request().getHeader("Authorization"));
    if (secret == null || secret.isEmpty()) {
      challenge(ctx, null, "a bearer token is required (Authorization: Bearer TOKEN)");
      return;
    }
    Optional<ApiToken> token = tokens.authenticate(secret);
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

  /**
   * The token of an Authorization header ("Bearer TOKEN"): null without a header, "" for another
   * scheme.
   */
  public static String secretOf(String header) {
    if (header == null) {
      return null;
    }
    return header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
  }

  /**
   * The token {@code secret} names, if it is valid and its role includes {@code needed}: for
   * WebSockets, which sign in with their first message (memory only: fine on an event loop).
   */
  public static Optional<ApiToken> authorize(TokenStore tokens, String secret, Role needed) {
    return secret == null
        ? Optional.empty()
        : tokens.authenticate(secret).filter(t -> t.parsedRole().includes(needed));
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
