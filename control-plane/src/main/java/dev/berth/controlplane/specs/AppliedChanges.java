package dev.berth.controlplane.specs;

import java.util.List;

/**
 * What one GitOps sync wrote: workloads created, updated (a new generation), claimed by the source
 * with their spec unchanged (no new generation), and deleted.
 */
public record AppliedChanges(
    List<String> created, List<String> updated, List<String> claimed, List<String> deleted) {
  /** Whether nothing was written. */
  public boolean none() {
    return created.isEmpty() && updated.isEmpty() && claimed.isEmpty() && deleted.isEmpty();
  }
}
