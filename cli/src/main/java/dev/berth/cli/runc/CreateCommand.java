package dev.berth.cli.runc;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** runc create: sets the container up; the user program waits for start. */
@Command(name = "create", description = "create a container")
final class CreateCommand extends ContainerCommand {
  @Mixin BundleOptions bundle;

  @Option(
      names = "--preserve-fds",
      defaultValue = "0",
      description = "extra file descriptors to pass (not supported)")
  int preserveFds;

  @Override
  public Integer call() throws Exception {
    if (preserveFds > 0) {
      throw new RuncException("--preserve-fds is not supported by berth-runc");
    }
    main.runtime().create(id, bundle.bundle, bundle.createOptions());
    return 0;
  }
}
