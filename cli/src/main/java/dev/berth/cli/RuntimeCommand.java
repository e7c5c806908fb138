package dev.berth.cli;

import dev.berth.cli.runc.RuncMain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** `berth runtime ARGS`: the runc command line (the same as bin/berth-runc). */
@Command(
    name = "runtime",
    description = "the OCI runtime, with runc's command line (see berth runtime --help)")
final class RuntimeCommand implements Callable<Integer> {
  @Parameters(arity = "0..*", paramLabel = "ARGS")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    return RuncMain.execute(args.toArray(String[]::new));
  }
}
