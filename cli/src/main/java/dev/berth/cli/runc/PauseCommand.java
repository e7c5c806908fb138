package dev.berth.cli.runc;

import picocli.CommandLine.Command;

/** runc pause: freezes every process in the container. */
@Command(name = "pause", description = "pause suspends all processes inside the container")
final class PauseCommand extends ContainerCommand {
  @Override
  public Integer call() throws Exception {
    main.runtime().pause(id);
    return 0;
  }
}
