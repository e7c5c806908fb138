package dev.berth.cli;

import dev.berth.testing.InProcessCli;

/** Runs `berth` command lines in the test's JVM and captures what they print. */
public final class BerthCli {
  private BerthCli() {}

  public static InProcessCli.Output run(String... args) {
    return InProcessCli.run(BerthMain::execute, args);
  }
}
