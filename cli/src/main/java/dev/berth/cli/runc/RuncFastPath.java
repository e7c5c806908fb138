package dev.berth.cli.runc;

import dev.berth.model.fleet.JavaDeserialization;
import dev.berth.runtime.ContainerNotFoundException;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.CreateOptions;
import dev.berth.runtime.init.Stdio;
import dev.berth.runtime.process.Signals;
import java.nio.file.Path;

/**
 * runc's hot commands (create, run, start, state, kill, delete), parsed by hand from runc's flags:
 * containerd and podman call them for every container, and picocli's model costs more than the
 * work. Any other command line, or one of these with a flag it does not know (help, version, a
 * typo), goes to picocli ({@link RuncMain#execute}), which also gives the errors.
 */
final class RuncFastPath {
  private Path root;
  private Path log;
  private String logFormat = "text";
  private boolean systemdCgroup;

  private RuncFastPath() {}

  /** The command's exit status, or null when picocli has to take this command line. */
  static Integer run(String... args) {
    RuncFastPath p = new RuncFastPath();
    int i = p.globals(args);
    if (i < 0 || i >= args.length) {
      return null;
    }
    Command c = Command.parse(args[i], args, i + 1);
    if (c == null) {
      return null;
    }
    JavaDeserialization.refuse();
    try {
      return c.run(RuncMain.runtimeAt(p.root, p.systemdCgroup));
    } catch (Exception e) {
      return ErrorReporter.report(e, p.log, p.logFormat);
    }
  }

  /** Reads the global flags; the index of the command, or -1 for a flag this path does not know. */
  private int globals(String[] args) {
    int i = 0;
    for (; i < args.length && args[i].startsWith("-"); i++) {
      String a = args[i];
      int eq = a.indexOf('=');
      String name = a.startsWith("--") && eq > 0 ? a.substring(0, eq) : a;
      String value = a.startsWith("--") && eq > 0 ? a.substring(eq + 1) : null;
      switch (name) {
        case "--root", "--log", "--log-format", "--rootless" -> {
          if (value == null) {
            if (++i >= args.length) {
              return -1;
            }
            value = args[i];
          }
          switch (name) {
            case "--root" -> root = Path.of(value);
            case "--log" -> log = Path.of(value);
            case "--log-format" -> logFormat = value;
            default -> {} // --rootless: accepted, as by picocli's path
          }
        }
        case "--debug" -> {}
        case "--systemd-cgroup" -> systemdCgroup = true;
        default -> {
          return -1;
        }
      }
    }
    return i;
  }

  /** One parsed command: what it does with the runtime. */
  private interface Command {
    /** Does it; the exit status. */
    int run(ContainerRuntime runtime) throws Exception;

    /** {@code name}'s flags and arguments from {@code args[from..]}, or null if not plain. */
    static Command parse(String name, String[] args, int from) {
      Flags f = Flags.parse(name, args, from);
      if (f == null) {
        return null;
      }
      String id = f.id;
      return switch (name) {
        case "state" ->
            f.extra == null ? done(rt -> System.out.println(StateOutput.of(rt.state(id)))) : null;
        case "start" -> f.extra == null ? done(rt -> rt.start(id)) : null;
        case "kill" -> {
          String signal = f.extra == null ? "SIGTERM" : f.extra;
          boolean all = f.all;
          yield done(
              rt -> {
                int number;
                try {
                  number = Signals.parse(signal);
                } catch (IllegalArgumentException e) {
                  throw new RuncException(e.getMessage());
                }
                rt.kill(id, number, all);
              });
        }
        case "delete" -> {
          boolean force = f.force;
          yield f.extra != null
              ? null
              : done(
                  rt -> {
                    try {
                      rt.delete(id, force);
                    } catch (ContainerNotFoundException e) {
                      if (!force) {
                        throw e; // as runc: with --force a container already gone is no error
                      }
                    }
                  });
        }
        case "create", "run" -> {
          if (f.extra != null) {
            yield null;
          }
          CreateOptions options =
              new CreateOptions(
                  f.consoleSocket,
                  f.pidFile == null ? null : Path.of(f.pidFile).toAbsolutePath(),
                  f.noPivot,
                  Stdio.inherit(),
                  false,
                  null);
          Path bundle = Path.of(f.bundle == null ? "." : f.bundle);
          int preserve = f.preserveFds;
          boolean run = name.equals("run");
          boolean detach = f.detach;
          boolean keep = f.keep;
          yield rt -> {
            if (preserve > 0) {
              throw new RuncException("--preserve-fds is not supported by berth-runc");
            }
            if (run) {
              return RunCommand.run(rt, id, bundle, options, detach, keep);
            }
            rt.create(id, bundle, options);
            return 0;
          };
        }
        default -> null;
      };
    }
  }

  /** A command that exits 0 when it does not throw. */
  private interface Action {
    void run(ContainerRuntime runtime) throws Exception;
  }

  private static Command done(Action a) {
    return rt -> {
      a.run(rt);
      return 0;
    };
  }

  /** A hot command's flags (before the id, as runc has them), its id and one more argument. */
  private static final class Flags {
    String id;
    String extra;
    boolean all;
    boolean force;
    boolean noPivot;
    boolean detach;
    boolean keep;
    String bundle;
    String pidFile;
    String consoleSocket;
    int preserveFds;

    static Flags parse(String command, String[] args, int from) {
      Flags f = new Flags();
      int i = from;
      for (; i < args.length && args[i].startsWith("-"); i++) {
        String a = args[i];
        int eq = a.indexOf('=');
        String name = a.startsWith("--") && eq > 0 ? a.substring(0, eq) : a;
        String value = a.startsWith("--") && eq > 0 ? a.substring(eq + 1) : null;
        boolean bundled = command.equals("create") || command.equals("run");
        boolean valued =
            bundled
                && switch (name) {
                  case "-b", "--bundle", "--pid-file", "--console-socket", "--preserve-fds" -> true;
                  default -> false;
                };
        if (valued && value == null) {
          if (++i >= args.length) {
            return null;
          }
          value = args[i];
        }
        switch ((bundled ? "create" : command) + " " + name) {
          case "kill -a", "kill --all" -> f.all = true;
          case "delete -f", "delete --force" -> f.force = true;
          case "create -b", "create --bundle" -> f.bundle = value;
          case "create --pid-file" -> f.pidFile = value;
          case "create --console-socket" -> f.consoleSocket = value;
          case "create --no-pivot" -> f.noPivot = true;
          case "create --no-new-keyring" -> {}
          case "create -d", "create --detach" -> {
            if (!command.equals("run")) {
              return null;
            }
            f.detach = true;
          }
          case "create --keep" -> {
            if (!command.equals("run")) {
              return null;
            }
            f.keep = true;
          }
          case "create --preserve-fds" -> {
            try {
              f.preserveFds = Integer.parseInt(value);
            } catch (NumberFormatException e) {
              return null; // picocli says what is wrong with it
            }
          }
          default -> {
            return null;
          }
        }
        if (!valued && value != null) {
          return null; // a value given to a switch
        }
      }
      if (i >= args.length) {
        return null; // no id: picocli's error
      }
      f.id = args[i++];
      if (i < args.length) {
        f.extra = args[i++];
      }
      return i < args.length ? null : f;
    }
  }
}
