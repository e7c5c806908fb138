package dev.berth.cli.runc;

import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.CreateOptions;
import dev.berth.runtime.libc.Native;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * runc run: create and start; in the foreground, wait, delete and exit with the container's status.
 */
@Command(name = "run", description = "create and run a container")
final class RunCommand extends ContainerCommand {
  @Mixin BundleOptions bundle;

  @Option(
      names = {"-d", "--detach"},
      description = "detach from the container's process")
  boolean detach;

  @Option(names = "--keep", description = "do not delete the container after it exits")
  boolean keep;

  @Override
  public Integer call() throws Exception {
    return run(main.runtime(), id, bundle.bundle, bundle.createOptions(), detach, keep);
  }

  /** The command's work, for picocli's path and the hand-parsed one alike; the exit status. */
  static int run(
      ContainerRuntime runtime,
      String id,
      Path bundle,
      CreateOptions options,
      boolean detach,
      boolean keep)
      throws Exception {
    if (!detach) {
      Native.becomeSubreaper(); // the container is re-parented to us, so we can wait for it
    }
    int pid = runtime.create(id, bundle, options).pid();
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
