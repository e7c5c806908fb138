package dev.berth.chaos.cli;

import dev.berth.chaos.experiment.ChaosSession;
import dev.berth.chaos.experiment.Experiments;
import dev.berth.chaos.lab.LabConfig;
import dev.berth.chaos.report.ReportFiles;
import dev.berth.chaos.report.ReportTable;
import dev.berth.model.JsonMapping;
import dev.berth.model.chaos.ChaosReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `berth chaos`: fault experiments on a lab fleet, and their reports (docs/chaos.md). */
@Command(
    name = "chaos",
    description = "chaos experiments on a lab fleet of processes on this machine",
    subcommands = {
      ChaosCommand.Run.class,
      ChaosCommand.Suite.class,
      ChaosCommand.Report.class,
      ChaosCommand.ListExperiments.class
    })
public final class ChaosCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  /** What every run takes: the lab's shape, the seed, where reports go. */
  static final class LabOptions {
    @Option(names = "--agents", defaultValue = "3", description = "agents in the lab (2-8)")
    int agents;

    @Option(
        names = "--lease-millis",
        defaultValue = "3000",
        description = "node and scheduler lease (each fault lasts a few of them)")
    long leaseMillis;

    @Option(names = "--seed", description = "seed of targets and load (default: the time)")
    Long seed;

    @Option(
        names = "--work-dir",
        defaultValue = "/var/lib/berth/chaos/labs",
        description = "where the lab's processes keep their state while it runs")
    Path workDir;

    @Option(
        names = "--reports-dir",
        defaultValue = "/var/lib/berth/chaos",
        description = "where reports are written (last.json is the last)")
    Path reportsDir;

    @Option(names = "--keep", description = "keep the lab's state and logs after it stops")
    boolean keep;

    /** The seed given, or the time, fixed at the first call so schedule and run share it. */
    long seed() {
      if (seed == null) {
        seed = System.currentTimeMillis();
      }
      return seed;
    }

    int execute(List<String> experiments) throws Exception {
      return execute(experiments, Experiments.defaultMillis(Experiments.RANDOM, leaseMillis));
    }

    /** Runs {@code experiments}; random's faults go on for {@code randomMillis}. */
    int execute(List<String> experiments, long randomMillis) throws Exception {
      long s = seed();
      System.out.println("seed " + s + " (--seed " + s + " runs the same targets and load again)");
      ChaosReport report =
          ChaosSession.run(
              new LabConfig(agents, leaseMillis, workDir, keep),
              experiments,
              s,
              randomMillis,
              System.out);
      Path file = ReportFiles.write(reportsDir, report);
      System.out.print(ReportTable.render(report));
      System.out.println("report: " + file);
      return report.passed() ? 0 : 1;
    }
  }

  @Command(name = "run", description = "run experiments by name (see `berth chaos list`)")
  static final class Run implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "EXPERIMENT")
    List<String> names;

    @Option(names = "--runs", defaultValue = "1", description = "run each this many times (1-50)")
    int runs;

    @Option(
        names = "--duration-seconds",
        defaultValue = "60",
        description = "how long the mixed faults of `random` go on")
    int durationSeconds;

    @Mixin LabOptions lab = new LabOptions();

    @Override
    public Integer call() throws Exception {
      if (runs < 1 || runs > 50) {
        System.err.println("berth: --runs: 1 to 50, not " + runs);
        return 2;
      }
      if (durationSeconds < 5 || durationSeconds > 3600) {
        System.err.println("berth: --duration-seconds: 5 to 3600, not " + durationSeconds);
        return 2;
      }
      List<String> all = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        for (String n : names) {
          if (!Experiments.NAMES.contains(n) && !n.equals(Experiments.RANDOM)) {
            System.err.println(
                "berth: no experiment \"" + n + "\": one of " + Experiments.NAMES + ", random");
            return 2;
          } else {
            all.add(n);
          }
        }
      }
      return lab.execute(all, durationSeconds * 1000L);
    }
  }

  @Command(
      name = "suite",
      description = "run every experiment with default parameters, then random (mixed faults)")
  static final class Suite implements Callable<Integer> {
    @Option(
        names = "--random-seconds",
        defaultValue = "60",
        description = "how long random's mixed faults go on (0: no random)")
    int randomSeconds;

    @Mixin LabOptions lab = new LabOptions();

    @Override
    public Integer call() throws Exception {
      if (randomSeconds < 0 || randomSeconds > 3600) {
        System.err.println("berth: --random-seconds: 0 to 3600, not " + randomSeconds);
        return 2;
      }
      List<String> all = new ArrayList<>(Experiments.NAMES);
      if (randomSeconds > 0) {
        all.add(Experiments.RANDOM);
      }
      return lab.execute(all, randomSeconds * 1000L);
    }
  }

  @Command(name = "report", description = "print a report (default: the last one)")
  static final class Report implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "FILE")
    Path file;

    @Option(names = "--reports-dir", defaultValue = "/var/lib/berth/chaos")
    Path reportsDir;

    @Option(
        names = {"-o", "--output"},
        defaultValue = "table",
        description = "table or json")
    String output;

    @Override
    public Integer call() throws Exception {
      Path f = file != null ? file : reportsDir.resolve(ReportFiles.LAST);
      if (!Files.exists(f)) {
        System.err.println("berth: no report at " + f + " (run `berth chaos suite` first)");
        return 1;
      }
      ChaosReport r = ReportFiles.read(f);
      if (output.equals("json")) {
        System.out.println(
            JsonMapping.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(r));
      } else {
        System.out.print(ReportTable.render(r));
      }
      return 0;
    }
  }

  @Command(name = "list", description = "the experiments")
  static final class ListExperiments implements Runnable {
    @Override
    public void run() {
      Experiments.NAMES.forEach(System.out::println);
      System.out.println(Experiments.RANDOM);
    }
  }
}
