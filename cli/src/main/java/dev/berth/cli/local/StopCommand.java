package dev.berth.cli.local;

import dev.berth.agent.local.LocalContainers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `berth stop [-t SECONDS] NAME...`: the stop signal, then SIGKILL after the grace period. */
@Command(
    mixinStandardHelpOptions = true,
    name = "stop",
    description = "stop local containers (their stop signal, then SIGKILL)")
public final class StopCommand implements Callable<Integer> {
  @Option(
      names = {"-t", "--time"},
      defaultValue = "10",
      description = "seconds before SIGKILL (default: ${DEFAULT-VALUE})")
  int seconds;

  @Parameters(arity = "1..*", paramLabel = "NAME|ID")
  List<String> names;

  @Mixin LocalOptions local = new LocalOptions();

  @Override
  public Integer call() throws Exception {
    if (seconds < 0 || seconds > 3600) {
      throw new IllegalArgumentException("-t: 0 to 3600 seconds");
    }
    LocalContainers containers = local.open();
    for (String n : names) {
      containers.stop(containers.require(n), Duration.ofSeconds(seconds));
      System.out.println(n);
    }
    return 0;
  }
}
