package dev.berth.cli.runc;

import dev.berth.runtime.CreateOptions;
import dev.berth.runtime.init.Stdio;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** runc create: sets the container up; the user program waits for start. */
@Command(name = "create", description = "create a container")
final class CreateCommand implements Callable<Integer> {
  @ParentCommand
  RuncMain main;

  @Parameters(index = "0", paramLabel = "<container-id>")
  String id;

  @Option(names = {"-b", "--bundle"}, defaultValue = ".", description = "path to the root of the bundle directory")
  Path bundle;

  @Option(names = "--pid-file", description = "file to write the process id to")
  Path pidFile;

  @Option(names = "--console-socket", description = "unix socket that receives the pty master")
  String consoleSocket;

  @Option(names = "--no-pivot", description = "use chroot instead of pivot_root")
  boolean noPivot;

  @Option(names = "--no-new-keyring", description = "do not create a new session keyring")
  boolean noNewKeyring;

  @Option(names = "--preserve-fds", defaultValue = "0", description = "extra file descriptors to pass (not supported)")
  int preserveFds;

  @Override
  public Integer call() throws Exception {
    if (preserveFds > 0) {
      throw new RuncException("--preserve-fds is not supported by berth-runc");
    }
    main.runtime().create(id, bundle, new CreateOptions(consoleSocket, absolute(pidFile), noPivot, Stdio.inherit(),
        false));
    return 0;
  }

  static Path absolute(Path p) {
    return p == null ? null : p.toAbsolutePath();
  }
}
