package dev.berth.controlplane.specs;

import dev.berth.model.fleet.StoredWorkload;

/** What an apply did: created, updated (generation bumped) or unchanged (the same spec again). */
public record ApplyResult(Outcome outcome, StoredWorkload workload) {
  /** The three things an apply can do. */
  public enum Outcome {
    CREATED,
    UPDATED,
    UNCHANGED
  }
}
