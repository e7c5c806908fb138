package dev.berth.controlplane.gitops;

import dev.berth.model.fleet.WorkloadSpec;
import dev.berth.model.gitops.WorkloadSync;
import java.util.List;

/**
 * What syncing a source would do to the fleet: the specs to write (created, changed, or claimed
 * from nobody), the workloads to delete (prune), those that left the repository but stay (orphans,
 * prune off), those another source manages (conflicts: nothing may be applied), and each of the
 * source's workloads against its manifest as it is now.
 */
public record SyncPlan(
    List<WorkloadSpec> puts,
    List<String> deletes,
    List<String> orphans,
    List<String> conflicts,
    List<WorkloadSync> workloads) {
  /** Whether the fleet already matches the manifests (orphans aside). */
  public boolean inSync() {
    return puts.isEmpty() && deletes.isEmpty() && conflicts.isEmpty();
  }
}
