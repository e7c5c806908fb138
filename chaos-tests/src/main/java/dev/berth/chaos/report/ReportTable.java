package dev.berth.chaos.report;

import dev.berth.model.chaos.ChaosReport;
import dev.berth.model.chaos.ExperimentReport;
import java.util.Locale;

/** A chaos report as a table for a terminal, one row per experiment, then what went wrong. */
public final class ReportTable {
  private ReportTable() {}

  public static String render(ChaosReport report) {
    StringBuilder b = new StringBuilder();
    String format = "%-26s %-12s %8s %9s %6s %5s %11s %9s %7s %8s  %s%n";
    b.append(
        String.format(
            Locale.ROOT,
            format,
            "EXPERIMENT",
            "TARGET",
            "DETECT",
            "RECOVER",
            "ACKED",
            "LOST",
            "OVERLAP",
            "UNIQUE",
            "ORPHANS",
            "FAILED",
            "RESULT"));
    for (ExperimentReport e : report.experiments()) {
      String target = e.target().length() > 12 ? e.target().substring(0, 12) : e.target();
      b.append(
          String.format(
              Locale.ROOT,
              format,
              e.experiment(),
              target,
              e.detectMillis() == null ? "-" : e.detectMillis() + " ms",
              e.recoverMillis() == null ? "never" : e.recoverMillis() + " ms",
              e.acknowledgedApplies(),
              e.lostApplies(),
              e.overlappingIdentities() + "/" + e.overlapMillisTotal() + "ms",
              e.uniqueOverlapMillis() + " ms",
              e.orphans(),
              String.format(Locale.ROOT, "%.0f%%", e.failedPercent()),
              e.passed() ? "pass" : "FAIL"));
    }
    for (ExperimentReport e : report.experiments()) {
      e.violations().forEach(v -> b.append(e.experiment()).append(": ").append(v).append('\n'));
      e.notes().forEach(n -> b.append(e.experiment()).append(" (note): ").append(n).append('\n'));
    }
    b.append(
        String.format(
            Locale.ROOT,
            "%d experiments, %d agents, %.1f min: %s%n",
            report.experiments().size(),
            report.agents(),
            report.durationMillis() / 60_000.0,
            report.passed() ? "all passed" : "FAILED"));
    return b.toString();
  }
}
