package dev.berth.agent.exec;

import dev.berth.agent.images.store.PrivateDirs;
import dev.berth.model.concurrent.DaemonThreads;
import dev.berth.model.runtime.ContainerProcess;
import dev.berth.runtime.ContainerException;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.ExecHandle;
import dev.berth.runtime.ExecOptions;
import dev.berth.runtime.console.ConsoleSocket;
import dev.berth.runtime.console.PtyMaster;
import dev.berth.runtime.files.FileTrees;
import dev.berth.runtime.init.Stdio;
import dev.berth.runtime.libc.Native;
import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A command run in a container with a terminal, as `kubectl exec -it`: the container's user,
 * environment (TERM set to xterm-256color) and working directory, its stdio a pty the runtime makes
 * in the container's devpts and hands over through a console socket. The caller reads and writes
 * the master ({@link #terminal()}) and sizes the window. Blocking: start it from a worker.
 */
public final class TerminalSession implements AutoCloseable {
  /** How long the runtime has to hand the terminal over once the process started. */
  private static final long HANDOVER_SECONDS = 10;

  private static final ScheduledExecutorService TIMERS =
      DaemonThreads.scheduled("berth-terminal-timer");

  private final Path dir;
  private final PtyMaster terminal;
  private final ExecHandle handle;

  private TerminalSession(Path dir, PtyMaster terminal, ExecHandle handle) {
    this.dir = dir;
    this.terminal = terminal;
    this.handle = handle;
  }

  public static TerminalSession start(
      ContainerRuntime runtime, String containerId, List<String> command, int columns, int rows)
      throws ContainerException, IOException {
    if (command == null || command.isEmpty()) {
      throw new IllegalArgumentException("command: a non-empty list of strings is required");
    }
    ContainerProcess base = runtime.record(containerId).config().process();
    List<String> env = new ArrayList<>();
    if (base.env() != null) {
      base.env().stream().filter(e -> !e.startsWith("TERM=")).forEach(env::add);
    }
    env.add("TERM=xterm-256color");
    ContainerProcess process = base.execProcess(true, base.user(), command, env, base.cwd());
    Path dir = PrivateDirs.create(Files.createTempDirectory("berth-tty-"));
    try (ConsoleSocket socket = ConsoleSocket.listen(dir.resolve("console.sock"))) {
      File devNull = new File("/dev/null");
      ExecHandle h =
          runtime.exec(
              containerId,
              process,
              new ExecOptions(
                  socket.path().toString(),
                  null,
                  new Stdio(Redirect.from(devNull), Redirect.to(devNull), Redirect.to(devNull))));
      var abort = TIMERS.schedule(socket::abort, HANDOVER_SECONDS, TimeUnit.SECONDS);
      PtyMaster master;
      try {
        master = socket.accept();
      } catch (IOException e) {
        Native.kill(h.pid(), 9);
        throw e;
      } finally {
        abort.cancel(false);
      }
      TerminalSession session = new TerminalSession(dir, master, h);
      try {
        master.resize(columns, rows);
      } catch (IOException | IllegalArgumentException e) {
        session.close();
        throw e;
      }
      return session;
    } catch (ContainerException | IOException | RuntimeException e) {
      FileTrees.delete(dir);
      throw e;
    }
  }

  public PtyMaster terminal() {
    return terminal;
  }

  /** The command's exit code (128+signal when a signal ended it). */
  public CompletableFuture<Integer> exit() {
    return handle.exit();
  }

  /** Ends the command (SIGKILL) and closes the terminal. */
  @Override
  public void close() {
    if (!handle.exit().isDone()) {
      Native.kill(handle.pid(), 9);
    }
    terminal.close();
    try {
      FileTrees.delete(dir);
    } catch (IOException e) {
      // a temp dir of a socket already gone: nothing to keep
    }
  }
}
