package dev.berth.cli;

import dev.berth.cli.bench.BenchCommand;
import dev.berth.cli.demo.DemoCommand;
import dev.berth.cli.fleet.AgentCommand;
import dev.berth.cli.fleet.BrokerCommand;
import dev.berth.cli.fleet.ControlPlaneCommand;
import dev.berth.cli.fleet.DownCommand;
import dev.berth.cli.fleet.UpCommand;
import dev.berth.cli.fleetctl.ApplyCommand;
import dev.berth.cli.fleetctl.DashboardCommand;
import dev.berth.cli.fleetctl.DeleteCommand;
import dev.berth.cli.fleetctl.DiffCommand;
import dev.berth.cli.fleetctl.FleetExecCommand;
import dev.berth.cli.fleetctl.GetCommand;
import dev.berth.cli.fleetctl.GitOpsCommand;
import dev.berth.cli.fleetctl.LogsCommand;
import dev.berth.cli.fleetctl.TokenCommand;
import dev.berth.cli.image.ImageCommand;
import dev.berth.cli.local.PsCommand;
import dev.berth.cli.local.RmCommand;
import dev.berth.cli.local.RunCommand;
import dev.berth.cli.local.StopCommand;
import dev.berth.embedded.JdkAddressResolver;
import dev.berth.model.fleet.JavaDeserialization;
import dev.berth.runtime.libc.Native;
import dev.berth.runtime.process.ReaperThread;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * berth: the one launcher; `berth runtime ...` is the runc command line, `berth up` runs Berth on
 * this machine.
 */
@Command(
    name = "berth",
    mixinStandardHelpOptions = true,
    versionProvider = BerthVersion.class,
    description = "Berth: container orchestration on the OCI stack",
    subcommands = {
      UpCommand.class,
      DownCommand.class,
      ControlPlaneCommand.class,
      AgentCommand.class,
      BrokerCommand.class,
      ApplyCommand.class,
      DiffCommand.class,
      GitOpsCommand.class,
      GetCommand.class,
      DashboardCommand.class,
      DeleteCommand.class,
      LogsCommand.class,
      FleetExecCommand.class,
      TokenCommand.class,
      DemoCommand.class,
      ImageCommand.class,
      RunCommand.class,
      PsCommand.class,
      StopCommand.class,
      RmCommand.class,
      BenchCommand.class,
      RuntimeCommand.class
    })
public final class BerthMain implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /**
   * The one-shot commands on local containers, which end with their container's monitor still
   * running, and start with only their own picocli model (all of berth's costs ~150 ms to build).
   */
  private static final Map<String, Supplier<Object>> ONE_SHOT =
      Map.of(
          "run", RunCommand::new,
          "ps", PsCommand::new,
          "stop", StopCommand::new,
          "rm", RmCommand::new,
          "exec", FleetExecCommand::new,
          "logs", LogsCommand::new);

  public static void main(String[] args) {
    int status = execute(args);
    if (args.length > 0 && ONE_SHOT.containsKey(args[0]) && ReaperThread.started()) {
      System.out.flush();
      System.err.flush();
      // As berth-runc: HotSpot's exit would wait up to 300 ms for the child reaper's thread.
      Native.exitNow(status);
    }
    System.exit(status);
  }

  /**
   * Runs one command line and returns its exit code; a failure prints its message, not a stack
   * trace.
   */
  public static int execute(String... args) {
    JavaDeserialization.refuse();
    Supplier<Object> alone = args.length > 0 ? ONE_SHOT.get(args[0]) : null;
    CommandLine cl;
    if (alone != null) {
      if (args[0].equals("exec") || args[0].equals("logs")) {
        JdkAddressResolver.install(); // they may go to the control plane
      }
      cl = new CommandLine(alone.get()).setCommandName("berth " + args[0]);
      // What follows the image (run) or the container (exec) is the command's, dashes included.
      cl.setStopAtPositional(args[0].equals("run") || args[0].equals("exec"));
      args = Arrays.copyOfRange(args, 1, args.length);
    } else {
      JdkAddressResolver.install();
      cl = new CommandLine(new BerthMain());
      for (CommandExtension e : java.util.ServiceLoader.load(CommandExtension.class)) {
        cl.addSubcommand(e.command());
      }
      cl.getSubcommands().get("run").setStopAtPositional(true);
      cl.getSubcommands().get("exec").setStopAtPositional(true);
    }
    cl.setExecutionExceptionHandler(
        (e, line, parsed) -> {
          System.err.println("berth: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
          return 1;
        });
    return cl.execute(args);
  }
}
