package dev.berth.cli.runc;

import dev.berth.model.runtime.OciJson;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** runc state: prints the runtime-spec state document. */
@Command(name = "state", description = "output the state of a container")
final class StateCommand implements Callable<Integer> {
  @ParentCommand
  RuncMain main;

  @Parameters(index = "0", paramLabel = "<container-id>")
  String id;

  @Override
  public Integer call() throws Exception {
    System.out.println(OciJson.write(main.runtime().state(id)));
    return 0;
  }
}
