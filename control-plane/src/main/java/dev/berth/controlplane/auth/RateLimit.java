package dev.berth.controlplane.auth;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A token bucket per API token for one kind of request (apply, exec): {@code perSecond} on average,
 * bursts of {@code burst}; beyond that 429 with Retry-After, as the Kubernetes API server's
 * priority and fairness answers. Runs after authentication.
 */
public final class RateLimit implements Handler<RoutingContext> {
  private final String what;
  private final double perSecond;
  private final int burst;
  private final LongSupplier nanos;
  private final Map<String, Bucket> buckets = new HashMap<>();

  /** Twice the tokens the fleet may have: beyond that, full buckets are dropped. */
  static final int MAX_BUCKETS = 2 * TokenStore.MAX_TOKENS;

  public RateLimit(String what, double perSecond, int burst, LongSupplier nanos) {
    if (perSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException(what + ": a rate limit needs a positive rate and burst");
    }
    this.what = what;
    this.perSecond = perSecond;
    this.burst = burst;
    this.nanos = nanos;
  }

  public RateLimit(String what, double perSecond, int burst) {
    this(what, perSecond, burst, System::nanoTime);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String who = BearerAuthentication.caller(ctx).map(ApiToken::name).orElse("-");
    double wait = take(who);
    if (wait <= 0) {
      ctx.next();
      return;
    }
    ctx.response().putHeader("Retry-After", Long.toString((long) Math.ceil(wait)));
    ApiErrors.end(
        ctx,
        429,
        "token \""
            + who
            + "\" sent more than "
            + burst
            + " "
            + what
            + " requests in a burst ("
            + perSecond
            + "/s on average): try again in "
            + (long) Math.ceil(wait)
            + " s");
  }

  /** Takes one from {@code who}'s bucket: 0 when there was one, else the seconds until there is. */
  public synchronized double take(String who) {
    long now = nanos.getAsLong();
    if (buckets.size() > MAX_BUCKETS) {
      // revoked tokens' buckets would pile up: a bucket that has refilled is the same as none
      buckets
          .values()
          .removeIf(old -> old.tokens + (now - old.refilled) / 1e9 * perSecond >= burst);
    }
    Bucket b = buckets.computeIfAbsent(who, k -> new Bucket(burst, now));
    b.tokens = Math.min(burst, b.tokens + (now - b.refilled) / 1e9 * perSecond);
    b.refilled = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return (1 - b.tokens) / perSecond;
  }

  /** How many tokens have a bucket now (tests). */
  synchronized int buckets() {
    return buckets.size();
  }

  private static final class Bucket {
    double tokens;
    long refilled;

    Bucket(double tokens, long refilled) {
      this.tokens = tokens;
      this.refilled = refilled;
    }
  }
}
