package dev.berth.model.chaos;

import java.util.List;

/**
 * One `berth chaos` run: its experiments' reports, the lab they ran in and how long it took. Kept
 * as JSON (the last one as last.json, which the dashboard shows).
 */
public record ChaosReport(
    long startedAtMillis, long durationMillis, int agents, List<ExperimentReport> experiments) {
  public ChaosReport {
    experiments = List.copyOf(experiments);
  }

  /** Whether every experiment passed. */
  public boolean passed() {
    return experiments.stream().allMatch(ExperimentReport::passed);
  }
}
