package dev.berth.cli.runc;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** runc start: runs the user program of a created container. */
@Command(name = "start", description = "executes the user defined process in a created container")
final class StartCommand implements Callable<Integer> {
  @ParentCommand
  RuncMain main;

  @Parameters(index = "0", paramLabel = "<container-id>")
  String id;

  @Override
  public Integer call() throws Exception {
    main.runtime().start(id);
    return 0;
  }
}
