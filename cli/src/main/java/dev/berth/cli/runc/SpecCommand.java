package dev.berth.cli.runc;

import dev.berth.model.runtime.DefaultSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** runc spec: writes a default config.json to edit. */
@Command(name = "spec", description = "create a new specification file")
final class SpecCommand implements Callable<Integer> {
  @ParentCommand RuncMain main;

  @Option(
      names = {"-b", "--bundle"},
      defaultValue = ".",
      description = "path to the root of the bundle directory")
  Path bundle;

  @Override
  public Integer call() throws Exception {
    Path config = bundle.resolve("config.json");
    if (Files.exists(config)) {
      throw new RuncException("File " + config + " exists. Remove it first");
    }
    Files.writeString(config, DefaultSpec.json());
    return 0;
  }
}
