package dev.berth.cli.runc;

import java.util.concurrent.Callable;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** A runc command that acts on one container: the global options and the container id. */
abstract class ContainerCommand implements Callable<Integer> {
  @ParentCommand RuncMain main;

  @Parameters(index = "0", paramLabel = "<container-id>")
  String id;
}
