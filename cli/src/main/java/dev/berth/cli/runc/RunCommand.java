package dev.berth.cli.runc;

import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.CreateOptions;
import dev.berth.runtime.init.Stdio;
import dev.berth.runtime.libc.Native;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import sun.misc.Signal;

/** runc run: create and start; in the foreground, wait, delete and exit with the container's status. */
@Command(name = "run", description = "create and run a container")
final class RunCommand implements Callable<Integer> {
  @ParentCommand
  RuncMain main;

  @Parameters(index = "0", paramLabel = "<container-id>")
  String id;

  @Option(names = {"-b", "--bundle"}, defaultValue = ".")
  Path bundle;

  @Option(names = {"-d", "--detach"}, description = "detach from the container's process")
  boolean detach;

  @Option(names = "--pid-file")
  Path pidFile;

  @Option(names = "--console-socket")
  String consoleSocket;

  @Option(names = "--no-pivot")
  boolean noPivot;

  @Option(names = "--no-new-keyring")
  boolean noNewKeyring;

  @Option(names = "--keep", description = "do not delete the container after it exits")
  boolean keep;

  @Override
  public Integer call() throws Exception {
    ContainerRuntime runtime = main.runtime();
    if (!detach) {
      Native.becomeSubreaper(); // the container is re-parented to us, so we can wait for it
    }
    int pid = runtime.create(id, bundle, new CreateOptions(consoleSocket, CreateCommand.absolute(pidFile), noPivot,
        Stdio.inherit(), false)).pid();
    try {
      runtime.start(id);
    } catch (Exception e) {
      runtime.delete(id, true);
      throw e;
    }
    if (detach) {
      return 0;
    }
    for (String name : List.of("INT", "TERM", "HUP", "USR1", "USR2", "WINCH")) {
      try {
        Signal.handle(new Signal(name), s -> Native.kill(pid, s.getNumber()));
      } catch (IllegalArgumentException reservedByTheJvm) {
        // not forwarded
      }
    }
    int status = Native.waitForExit(pid);
    if (!keep) {
      runtime.delete(id, true);
    }
    return status;
  }
}
