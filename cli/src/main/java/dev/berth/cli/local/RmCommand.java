package dev.berth.cli.local;

import dev.berth.agent.local.LocalContainers;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `berth rm [-f] NAME...`: removes local containers with their rootfs, network and logs. */
@Command(
    mixinStandardHelpOptions = true,
    name = "rm",
    description = "remove local containers (-f: running ones too, killed)")
public final class RmCommand implements Callable<Integer> {
  @Option(
      names = {"-f", "--force"},
      description = "kill a running container first")
  boolean force;

  @Parameters(arity = "1..*", paramLabel = "NAME|ID")
  List<String> names;

  @Mixin LocalOptions local = new LocalOptions();

  @Override
  public Integer call() throws Exception {
    LocalContainers containers = local.open();
    for (String n : names) {
      containers.remove(containers.require(n).id(), force);
      System.out.println(n);
    }
    return 0;
  }
}
