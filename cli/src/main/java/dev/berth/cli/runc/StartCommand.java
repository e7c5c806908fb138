package dev.berth.cli.runc;

import picocli.CommandLine.Command;

/** runc start: runs the user program of a created container. */
@Command(name = "start", description = "executes the user defined process in a created container")
final class StartCommand extends ContainerCommand {
  @Override
  public Integer call() throws Exception {
    main.runtime().start(id);
    return 0;
  }
}
