package dev.berth.controlplane.auth;

import java.nio.file.Path;

/**
 * How the API is reached and guarded: its serving certificate and key (PEM), the CA that issued
 * them (what clients trust), the bootstrap admin token it makes sure of at start, the rate limits
 * per token, and where the request log goes (files {@code requestLog}.N.log).
 */
public record ApiAccess(
    Path caCert,
    Path servingCert,
    Path servingKey,
    String bootstrapToken,
    RateLimits limits,
    Path requestLog) {

  /** Requests per second and bursts, per token, of each limited kind. */
  public record RateLimits(
      double applyPerSecond, int applyBurst, double execPerSecond, int execBurst) {
    /**
     * Generous for people and pipelines (a burst of 50 applies, 20 a second), tight enough that one
     * token cannot flood Kafka or a node with execs.
     */
    public static final RateLimits DEFAULT = new RateLimits(20, 50, 5, 10);
  }

  public ApiAccess withLimits(RateLimits l) {
    return new ApiAccess(caCert, servingCert, servingKey, bootstrapToken, l, requestLog);
  }
}
