package dev.berth.dashboard.stream;

/**
 * Event-bus addresses (local to one control-plane process) between the fleet state and watchers.
 */
public final class DashboardAddresses {
  /** Numbered changes, published as JSON text. */
  public static final String CHANGES = "berth.dashboard.changes";

  /** Container samples, published as JSON text with the container's id and node in headers. */
  public static final String SAMPLES = "berth.dashboard.samples";

  /** Asked for the current snapshot, answers it as JSON text. */
  public static final String SNAPSHOT = "berth.dashboard.snapshot";

  /** Asked for one container's last sample, answers JSON text (or null). */
  public static final String LAST_SAMPLE = "berth.dashboard.last-sample";

  private DashboardAddresses() {}
}
