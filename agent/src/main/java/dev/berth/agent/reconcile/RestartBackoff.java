package dev.berth.agent.reconcile;

/**
 * Exponential back-off between restarts, as kubelet's CrashLoopBackOff: 1 s, 2 s, 4 s ... at most
 * 60 s.
 */
public final class RestartBackoff {
  static final long FIRST_MILLIS = 1000;
  static final long MAX_MILLIS = 60_000;

  private RestartBackoff() {}

  /** The wait before restart number {@code restarts} (1 for the first). */
  public static long delayMillis(int restarts) {
    if (restarts <= 1) {
      return FIRST_MILLIS;
    }
    return Math.min(MAX_MILLIS, FIRST_MILLIS << Math.min(restarts - 1, 16));
  }
}
