package dev.berth.cli.runc;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** runc pause: freezes every process in the container. */
@Command(name = "pause", description = "pause suspends all processes inside the container")
final class PauseCommand implements Callable<Integer> {
  @ParentCommand
  RuncMain main;

  @Parameters(index = "0", paramLabel = "<container-id>")
  String id;

  @Override
  public Integer call() throws Exception {
    main.runtime().pause(id);
    return 0;
  }
}
