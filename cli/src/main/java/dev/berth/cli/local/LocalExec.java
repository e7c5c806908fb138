package dev.berth.cli.local;

import dev.berth.agent.exec.TerminalSession;
import dev.berth.agent.local.LocalContainer;
import dev.berth.agent.local.LocalContainers;
import dev.berth.model.runtime.ContainerProcess;
import dev.berth.runtime.ExecHandle;
import dev.berth.runtime.ExecOptions;
import dev.berth.runtime.init.Stdio;
import java.io.File;
import java.lang.ProcessBuilder.Redirect;
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
    if (tty) {
      // The agent's terminal exec (kubectl exec -it's), this command's terminal joined to it; the
      // relay sizes the window from this terminal.
      try (TerminalSession session =
          TerminalSession.start(local.runtime(), c.id(), command, 80, 24)) {
        return TerminalRelay.relay(session.terminal(), session.exit());
      }
    }
    ContainerProcess base = local.runtime().record(c.id()).config().process();
    ContainerProcess process =
        base.execProcess(false, base.user(), command, base.env(), base.cwd());
    Redirect stdin = interactive ? Redirect.INHERIT : Redirect.from(new File("/dev/null"));
    ExecHandle h =
        local
            .runtime()
            .exec(
                c.id(),
                process,
                new ExecOptions(null, null, new Stdio(stdin, Redirect.INHERIT, Redirect.INHERIT)));
    return h.exit().join();
  }
}
