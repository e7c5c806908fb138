package dev.berth.cli.image;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** `berth image`: images on this node, from and to registries and OCI layouts. */
@Command(
    name = "image",
    description = "manage images: pull, push, ls, inspect, rm, import, export, build, prune",
    subcommands = {
      PullCommand.class,
      PushCommand.class,
      ListImagesCommand.class,
      InspectCommand.class,
      RemoveCommand.class,
      ImportCommand.class,
      ExportCommand.class,
      BuildCommand.class,
      PruneCommand.class
    })
public final class ImageCommand implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
