package dev.berth.cli.runc;

import dev.berth.model.JsonMapping;
import dev.berth.model.runtime.ContainerProcess;
import dev.berth.model.runtime.User;
import dev.berth.runtime.ExecHandle;
import dev.berth.runtime.ExecOptions;
import dev.berth.runtime.init.Stdio;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** runc exec: runs a new process inside a running container. */
@Command(name = "exec", description = "execute new process inside the container")
final class RuncExecCommand extends ContainerCommand {
  @Parameters(index = "1..*", paramLabel = "<command>")
  List<String> command = new ArrayList<>();

  @Option(
      names = {"-p", "--process"},
      description = "path to a process.json")
  Path processFile;

  @Option(names = {"-t", "--tty"})
  boolean tty;

  @Option(names = {"-d", "--detach"})
  boolean detach;

  @Option(names = "--pid-file")
  Path pidFile;

  @Option(names = "--console-socket")
  String consoleSocket;

  @Option(names = "--cwd")
  String cwd;

  @Option(names = {"-e", "--env"})
  List<String> env = new ArrayList<>();

  @Option(
      names = {"-u", "--user"},
      description = "uid[:gid]")
  String user;

  @Override
  public Integer call() throws Exception {
    ContainerProcess process =
        processFile != null
            ? JsonMapping.mapper().readValue(processFile.toFile(), ContainerProcess.class)
            : fromArgs(main.runtime().record(id).config().process());
    if ((tty || Boolean.TRUE.equals(process.terminal())) && consoleSocket == null) {
      throw new RuncException("exec with a terminal needs --console-socket");
    }
    ExecHandle h =
        main.runtime()
            .exec(
                id,
                process,
                new ExecOptions(
                    consoleSocket, BundleOptions.absolute(pidFile), Stdio.inherit(), detach));
    return detach ? 0 : h.exit().get();
  }

  private ContainerProcess fromArgs(ContainerProcess base) throws RuncException {
    if (command.isEmpty()) {
      throw new RuncException("exec needs a command, or --process");
    }
    List<String> allEnv = new ArrayList<>(base.env() == null ? List.of() : base.env());
    allEnv.addAll(env);
    User u = base.user();
    if (user != null) {
      String[] parts = user.split(":");
      try {
        u =
            new User(
                Long.parseLong(parts[0]),
                parts.length > 1 ? Long.parseLong(parts[1]) : 0L,
                null,
                null,
                null,
                null);
      } catch (NumberFormatException e) {
        throw new RuncException("--user \"" + user + "\": expected uid[:gid] as numbers");
      }
    }
    return base.execProcess(tty, u, command, allEnv, cwd != null ? cwd : base.cwd());
  }
}
