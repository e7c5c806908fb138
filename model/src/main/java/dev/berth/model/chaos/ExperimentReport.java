package dev.berth.model.chaos;

import java.util.List;

/**
 * What one chaos experiment measured (`berth chaos`, docs/chaos.md): when the fault was injected
 * and removed, how long the fleet took to notice and to recover, what it lost, what ran twice and
 * what it left behind. Times are milliseconds; {@code detectMillis} is null when the fleet's view
 * never marked the fault (a fault it cannot see), {@code recoverMillis} null when it never
 * recovered within the experiment.
 */
public record ExperimentReport(
    String experiment,
    String target,
    long seed,
    long startedAtMillis,
    long faultMillis,
    Long detectMillis,
    Long recoverMillis,
    int acknowledgedApplies,
    int lostApplies,
    int overlappingIdentities,
    long overlapMillisTotal,
    long overlapMillisMax,
    long uniqueOverlapMillis,
    int orphans,
    int requestsDuringFault,
    int failedDuringFault,
    boolean steadyBefore,
    boolean steadyAfter,
    List<String> violations,
    List<String> notes) {
  public ExperimentReport {
    violations = List.copyOf(violations);
    notes = List.copyOf(notes);
  }

  /** Whether nothing the fleet promises was broken (no lost apply, orphan or forbidden overlap). */
  public boolean passed() {
    return violations.isEmpty();
  }

  /** API requests that failed while the fault lasted, in percent of those sent then. */
  public double failedPercent() {
    return requestsDuringFault == 0 ? 0 : 100.0 * failedDuringFault / requestsDuringFault;
  }
}
