package dev.berth.cli.runc;

import dev.berth.runtime.process.Signals;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** runc kill: signals the container's init process, or all its processes. */
@Command(
    name = "kill",
    description =
        "kill sends the specified signal (default: SIGTERM) to the container's init process")
final class KillCommand extends ContainerCommand {
  @Parameters(index = "1", arity = "0..1", defaultValue = "SIGTERM", paramLabel = "<signal>")
  String signal;

  @Option(
      names = {"-a", "--all"},
      description = "send the signal to all processes in the container")
  boolean all;

  @Override
  public Integer call() throws Exception {
    int number;
    try {
      number = Signals.parse(signal);
    } catch (IllegalArgumentException e) {
      throw new RuncException(e.getMessage());
    }
    main.runtime().kill(id, number, all);
    return 0;
  }
}
