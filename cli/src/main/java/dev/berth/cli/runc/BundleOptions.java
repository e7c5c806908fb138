package dev.berth.cli.runc;

import dev.berth.runtime.CreateOptions;
import dev.berth.runtime.init.Stdio;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options `create` and `run` share, as runc has them. */
final class BundleOptions {
  @Option(
      names = {"-b", "--bundle"},
      defaultValue = ".",
      description = "path to the root of the bundle directory")
  Path bundle;

  @Option(names = "--pid-file", description = "file to write the process id to")
  Path pidFile;

  @Option(names = "--console-socket", description = "unix socket that receives the pty master")
  String consoleSocket;

  @Option(names = "--no-pivot", description = "use chroot instead of pivot_root")
  boolean noPivot;

  @Option(names = "--no-new-keyring", description = "do not create a new session keyring")
  boolean noNewKeyring;

  /**
   * runc semantics: the caller's stdio, no monitor (the caller's subreaper adopts the container).
   */
  CreateOptions createOptions() {
    return new CreateOptions(
        consoleSocket, absolute(pidFile), noPivot, Stdio.inherit(), false, null);
  }

  static Path absolute(Path p) {
    return p == null ? null : p.toAbsolutePath();
  }
}
