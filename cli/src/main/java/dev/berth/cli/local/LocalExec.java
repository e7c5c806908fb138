package dev.berth.cli.local;

import dev.berth.agent.images.store.PrivateDirs;
import dev.berth.agent.local.LocalContainer;
import dev.berth.agent.local.LocalContainers;
import dev.berth.model.runtime.ContainerProcess;
import dev.berth.runtime.ExecHandle;
import dev.berth.runtime.ExecOptions;
import dev.berth.runtime.console.ConsoleSocket;
import dev.berth.runtime.files.FileTrees;
import dev.berth.runtime.init.Stdio;
import java.io.File;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * `berth exec [-i] [-t] NAME CMD...` into a local container: its user, env and working directory,
 * this command's stdio (or a terminal), its exit status returned.
 */
public final class LocalExec {
  private LocalExec() {}

  public static int run(
      LocalContainers local,
      LocalContainer c,
      List<String> command,
      boolean interactive,
      boolean tty)
      throws Exception {
    if (tty && !TerminalRelay.stdinIsTerminal()) {
      throw new IllegalArgumentException("-t: this command's input is not a terminal");
    }
    ContainerProcess base = local.runtime().record(c.id()).config().process();
    List<String> env = new ArrayList<>(base.env() == null ? List.of() : base.env());
    if (tty && env.stream().noneMatch(e -> e.startsWith("TERM="))) {
      env.add("TERM=xterm");
    }
    ContainerProcess process = base.execProcess(tty, base.user(), command, env, base.cwd());
    File devNull = new File("/dev/null");
    if (!tty) {
      ExecHandle h =
          local
              .runtime()
              .exec(
                  c.id(),
                  process,
                  new ExecOptions(
                      null,
                      null,
                      new Stdio(
                          interactive ? Redirect.INHERIT : Redirect.from(devNull),
                          Redirect.INHERIT,
                          Redirect.INHERIT)));
      return h.exit().join();
    }
    Path dir = PrivateDirs.create(Files.createTempDirectory("berth-exec-tty-"));
    try (ConsoleSocket socket = ConsoleSocket.listen(dir.resolve("console.sock"))) {
      ExecHandle h =
          local
              .runtime()
              .exec(
                  c.id(),
                  process,
                  new ExecOptions(
                      socket.path().toString(),
                      null,
                      new Stdio(
                          Redirect.from(devNull), Redirect.to(devNull), Redirect.to(devNull))));
      return TerminalRelay.relay(socket.accept(), h.exit());
    } finally {
      FileTrees.delete(dir);
    }
  }
}
