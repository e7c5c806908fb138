package dev.berth.chaos.experiment;

import dev.berth.chaos.lab.Lab;
import dev.berth.chaos.lab.LabConfig;
import dev.berth.chaos.observe.Observer;
import dev.berth.model.chaos.ChaosReport;
import dev.berth.model.chaos.ExperimentReport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One `berth chaos` run: a lab built, observed, the named experiments run on it in order (each with
 * its own seed derived from the run's; random's mixed faults for {@code randomMillis}), the lab
 * taken down, the report returned.
 */
public final class ChaosSession {
  private ChaosSession() {}

  public static ChaosReport run(
      LabConfig config,
      List<String> experiments,
      long seed,
      long randomMillis,
      PrintStream progress)
      throws Exception {
    long started = System.currentTimeMillis();
    List<ExperimentReport> reports = new ArrayList<>();
    progress.printf("starting a lab of %d agents in %s%n", config.agents(), config.workDir());
    try (Lab lab = Lab.start(config)) {
      Map<String, Path> runtimes = new LinkedHashMap<>();
      lab.agents().forEach(a -> runtimes.put(a.name(), lab.runtimeDir(a.name())));
      try (Observer observer = new Observer(runtimes)) {
        ExperimentRunner runner = new ExperimentRunner(lab, observer, progress);
        runner.prepare();
        progress.printf("lab ready in %.1f s%n", (System.currentTimeMillis() - started) / 1000.0);
        Random seeds = new Random(seed);
        for (String name : experiments) {
          long s = seeds.nextLong();
          FaultContext context = new FaultContext(lab, observer, new Random(s));
          ExperimentReport r =
              runner.run(
                  name,
                  name.equals(Experiments.RANDOM)
                      ? Experiments.fault(name, context, config.leaseMillis(), randomMillis)
                      : Experiments.fault(name, context, config.leaseMillis()),
                  s);
          progress.printf(
              "%s: detect %s ms, recover %s ms, lost %d, orphans %d, overlap %d ms (unique %d"
                  + " ms): %s%n",
              name,
              r.detectMillis(),
              r.recoverMillis(),
              r.lostApplies(),
              r.orphans(),
              r.overlapMillisTotal(),
              r.uniqueOverlapMillis(),
              r.passed() ? "pass" : "FAIL " + r.violations());
          reports.add(r);
        }
      }
    }
    return new ChaosReport(started, System.currentTimeMillis() - started, config.agents(), reports);
  }
}
