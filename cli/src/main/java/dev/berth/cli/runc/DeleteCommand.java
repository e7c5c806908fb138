package dev.berth.cli.runc;

import dev.berth.runtime.ContainerNotFoundException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** runc delete: removes a stopped container, or any container with --force. */
@Command(name = "delete", description = "delete any resources held by the container")
final class DeleteCommand extends ContainerCommand {
  @Option(
      names = {"-f", "--force"},
      description = "forcibly delete the container if it is still running (uses SIGKILL)")
  boolean force;

  @Override
  public Integer call() throws Exception {
    try {
      main.runtime().delete(id, force);
    } catch (ContainerNotFoundException e) {
      if (!force) {
        throw e; // as runc: with --force a container that is already gone is not an error
      }
    }
    return 0;
  }
}
