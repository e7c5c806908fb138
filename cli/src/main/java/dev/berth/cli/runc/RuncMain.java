package dev.berth.cli.runc;

import dev.berth.model.fleet.JavaDeserialization;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.libc.Native;
import dev.berth.runtime.process.ReaperThread;
import dev.berth.runtime.userns.HostUserNamespace;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * berth-runc: the runc command line over Berth's runtime, so containerd, podman or runtime-tools
 * can drive it.
 */
@Command(
    name = "berth-runc",
    mixinStandardHelpOptions = true,
    versionProvider = RuncMain.Version.class,
    description = "Open Container Initiative runtime (runc-compatible command line)")
public final class RuncMain implements Runnable {
  @Option(
      names = "--root",
      description =
          "root directory for storage of container state (default /run/berth; an ordinary user's:"
              + " $XDG_RUNTIME_DIR/berth, as runc's rootless mode)")
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
    throw new CommandLine.ParameterException(
        new CommandLine(this), "a command is required (see --help)");
  }

  ContainerRuntime runtime() throws RuncException {
    if (runtime == null) {
      runtime = runtimeAt(root, systemdCgroup);
    }
    return runtime;
  }

  /** The runtime with its state under {@code root} (null: the default for this user). */
  static ContainerRuntime runtimeAt(Path root, boolean systemdCgroup) throws RuncException {
    if (systemdCgroup) {
      throw new RuncException(
          "--systemd-cgroup is not supported by berth-runc: it manages cgroups through cgroupfs");
    }
    return new ContainerRuntime(root != null ? root : defaultRoot());
  }

  private static Path defaultRoot() {
    long uid = HostUserNamespace.effectiveUid(); // from /proc: no libc binding for state
    if (uid == 0) {
      return Path.of("/run/berth");
    }
    String xdg = System.getenv("XDG_RUNTIME_DIR");
    return (xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of("/run/user", Long.toString(uid)))
        .resolve("berth");
  }

  public static void main(String[] args) {
    int status = execute(args);
    if (!ReaperThread.started()) {
      System.exit(status);
    }
    System.out.flush();
    System.err.flush();
    // The command is done; HotSpot's own exit would wait up to 300 ms for the child reaper's
    // thread, blocked in epoll_wait, before it let the process go.
    Native.exitNow(status);
  }

  /**
   * The commands, by name; built on demand because picocli's model of all of them costs more than a
   * run.
   */
  private static final Map<String, Supplier<Object>> COMMANDS = commands();

  /**
   * Global options that take a value, so the command name can be found without building the model.
   */
  private static final Set<String> VALUED_OPTIONS =
      Set.of("--root", "--log", "--log-format", "--rootless");

  private static Map<String, Supplier<Object>> commands() {
    Map<String, Supplier<Object>> m = new LinkedHashMap<>();
    m.put("create", CreateCommand::new);
    m.put("start", StartCommand::new);
    m.put("state", StateCommand::new);
    m.put("kill", KillCommand::new);
    m.put("delete", DeleteCommand::new);
    m.put("run", RunCommand::new);
    m.put("exec", RuncExecCommand::new);
    m.put("list", ListCommand::new);
    m.put("ps", PsCommand::new);
    m.put("pause", PauseCommand::new);
    m.put("resume", ResumeCommand::new);
    m.put("update", UpdateCommand::new);
    m.put("events", EventsCommand::new);
    m.put("spec", SpecCommand::new);
    m.put("features", FeaturesCommand::new);
    return m;
  }

  /**
   * The command a command line names, or null (then all are registered, for help and error
   * messages).
   */
  static String commandName(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("-")) {
        return a;
      }
      if (VALUED_OPTIONS.contains(a)) {
        i++;
      }
    }
    return null;
  }

  /**
   * Runs one command line and returns the exit code (for tests and the bench, without a JVM per
   * call).
   */
  public static int execute(String... args) {
    Integer fast = RuncFastPath.run(args);
    if (fast != null) {
      return fast;
    }
    JavaDeserialization.refuse();
    RuncMain main = new RuncMain();
    CommandLine cl = new CommandLine(main);
    String name = commandName(args);
    if (name != null && COMMANDS.containsKey(name)) {
      cl.addSubcommand(name, COMMANDS.get(name).get());
    } else {
      COMMANDS.forEach((n, command) -> cl.addSubcommand(n, command.get()));
    }
    cl.setExecutionExceptionHandler(new ErrorReporter(main));
    // As runc: flags come before the container id; what follows it (exec's command, ps options) is
    // passed on.
    cl.setStopAtPositional(true);
    return cl.execute(args);
  }
}
