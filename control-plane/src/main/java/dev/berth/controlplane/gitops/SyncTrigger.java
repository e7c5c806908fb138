package dev.berth.controlplane.gitops;

import java.util.Locale;

/**
 * Why a source's pass runs, in rising priority: when several come while a pass runs, the next pass
 * runs for the strongest (a manual sync's revision is not lost to a poll).
 */
public enum SyncTrigger {
  /** A workload of the source changed in the fleet: compare (and heal), no fetch. */
  DRIFT,
  POLL,
  /** The source's spec changed, or this control plane became the leader. */
  SOURCE,
  WEBHOOK,
  MANUAL;

  /** The word used in statuses and the sync history. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether this pass fetches the repository. */
  boolean fetches() {
    return this != DRIFT;
  }
}
