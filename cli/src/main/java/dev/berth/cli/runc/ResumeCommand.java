package dev.berth.cli.runc;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** runc resume: thaws a paused container. */
@Command(name = "resume", description = "resumes all processes that have been previously paused")
final class ResumeCommand implements Callable<Integer> {
  @ParentCommand
  RuncMain main;

  @Parameters(index = "0", paramLabel = "<container-id>")
  String id;

  @Override
  public Integer call() throws Exception {
    main.runtime().resume(id);
    return 0;
  }
}
