package dev.berth.cli.runc;

import picocli.CommandLine.Command;

/** runc resume: thaws a paused container. */
@Command(name = "resume", description = "resumes all processes that have been previously paused")
final class ResumeCommand extends ContainerCommand {
  @Override
  public Integer call() throws Exception {
    main.runtime().resume(id);
    return 0;
  }
}
