package dev.berth.cli.runc;

import dev.berth.runtime.ContainerRuntime;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** berth-runc: the runc command line over Berth's runtime, so containerd, podman or runtime-tools can drive it. */
@Command(name = "berth-runc", mixinStandardHelpOptions = true, versionProvider = RuncMain.Version.class,
    description = "Open Container Initiative runtime (runc-compatible command line)",
    subcommands = {CreateCommand.class, StartCommand.class, StateCommand.class, KillCommand.class,
        DeleteCommand.class, RunCommand.class, ExecCommand.class, ListCommand.class, PsCommand.class,
        PauseCommand.class, ResumeCommand.class, EventsCommand.class, SpecCommand.class, FeaturesCommand.class})
public final class RuncMain implements Runnable {
  @Option(names = "--root", description = "root directory for storage of container state", defaultValue = "/run/berth")
  Path root;

  @Option(names = "--log", description = "log file for errors (default: stderr only)")
  Path log;

  @Option(names = "--log-format", description = "text or json", defaultValue = "text")
  String logFormat;

  @Option(names = "--systemd-cgroup", description = "use systemd to manage cgroups (not supported)")
  boolean systemdCgroup;

  @Option(names = "--debug", description = "accepted for compatibility")
  boolean debug;

  @Option(names = "--rootless", description = "accepted for compatibility: auto, true or false")
  String rootless;

  private ContainerRuntime runtime;

  /** Prints the version as runc does. */
  public static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"berth-runc version 0.1.0", "spec: " + ContainerRuntime.OCI_VERSION};
    }
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(new CommandLine(this), "a command is required (see --help)");
  }

  ContainerRuntime runtime() throws RuncException {
    if (systemdCgroup) {
      throw new RuncException("--systemd-cgroup is not supported by berth-runc: it manages cgroups through cgroupfs");
    }
    if (runtime == null) {
      runtime = new ContainerRuntime(root);
    }
    return runtime;
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs one command line and returns the exit code (for tests and the bench, without a JVM per call). */
  public static int execute(String... args) {
    RuncMain main = new RuncMain();
    CommandLine cl = new CommandLine(main);
    cl.setExecutionExceptionHandler(new ErrorReporter(main));
    // As runc: flags come before the container id; what follows it (exec's command, ps options) is passed on.
    cl.setStopAtPositional(true);
    return cl.execute(args);
  }
}
