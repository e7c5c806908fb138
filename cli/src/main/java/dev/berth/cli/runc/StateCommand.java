package dev.berth.cli.runc;

import dev.berth.model.JsonMapping;
import picocli.CommandLine.Command;

/** runc state: prints the runtime-spec state document. */
@Command(name = "state", description = "output the state of a container")
final class StateCommand extends ContainerCommand {
  @Override
  public Integer call() throws Exception {
    System.out.println(JsonMapping.write(main.runtime().state(id)));
    return 0;
  }
}
