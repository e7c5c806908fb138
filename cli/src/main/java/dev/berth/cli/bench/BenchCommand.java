package dev.berth.cli.bench;

import picocli.CommandLine.Command;

/** `berth bench`: benchmarks that run Berth and its peers side by side. */
@Command(
    name = "bench",
    description = "benchmarks against peers, interleaved in one run",
    subcommands = {
      RuntimeBench.class,
      ImageBench.class,
      ApplyToRunningBench.class,
      NetworkBench.class,
      SchedulerBench.class,
      DashboardBench.class,
      GitOpsBench.class,
      LocalRunBench.class
    })
public final class BenchCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }
}
