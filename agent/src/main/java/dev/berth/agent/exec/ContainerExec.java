package dev.berth.agent.exec;

import dev.berth.agent.images.store.PrivateDirs;
import dev.berth.model.concurrent.DaemonThreads;
import dev.berth.model.runtime.ContainerProcess;
import dev.berth.runtime.ContainerException;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.ExecHandle;
import dev.berth.runtime.ExecOptions;
import dev.berth.runtime.files.FileTrees;
import dev.berth.runtime.init.Stdio;
import dev.berth.runtime.libc.Native;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a command in one of the node's containers, as `kubectl exec` without a terminal: the
 * container's own user, environment and working directory. Its output is streamed through pipes
 * (never spooled to the host's disk) and cut at {@link #MAX_OUTPUT} a stream, where the command is
 * killed; it may run at most {@link #MAX_TIMEOUT}. Blocking: call from a worker.
 */
public final class ContainerExec {
  /** Output beyond this is cut: exec through the API is for commands, not for bulk transfer. */
  public static final int MAX_OUTPUT = 1 << 20;

  /** The longest an exec may run; a longer one is refused before it starts. */
  public static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);

  private final ContainerRuntime runtime;
  // Two readers an exec; idle threads go after a minute.
  private final ExecutorService readers = DaemonThreads.cached("berth-exec-output");

  public ContainerExec(ContainerRuntime runtime) {
    this.runtime = runtime;
  }

  public ExecResult run(String containerId, List<String> command, Duration timeout)
      throws ContainerException, IOException, InterruptedException {
    if (command == null || command.isEmpty()) {
      throw new IllegalArgumentException("exec needs a command");
    }
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
      throw new IllegalArgumentException(
          "timeoutSeconds: must be 1 to "
              + MAX_TIMEOUT.toSeconds()
              + " (got "
              + timeout.toSeconds()
              + ")");
    }
    ContainerProcess base = runtime.record(containerId).config().process();
    ContainerProcess process =
        base.execProcess(false, base.user(), command, base.env(), base.cwd());
    Path dir = PrivateDirs.create(Files.createTempDirectory("berth-exec-"));
    try {
      Path out = dir.resolve("stdout");
      Path err = dir.resolve("stderr");
      Native.mkfifo(out.toString(), 0600);
      Native.mkfifo(err.toString(), 0600);
      AtomicBoolean cut = new AtomicBoolean();
      AtomicInteger pid = new AtomicInteger(); // set once started; read by the reader threads
      Runnable kill =
          () -> {
            if (pid.get() > 0) {
              ProcessHandle.of(pid.get()).ifPresent(ProcessHandle::destroyForcibly);
            }
          };
      // Readers first: opening a pipe for writing waits for its reader.
      CompletableFuture<byte[]> stdout = read(out, cut, kill);
      CompletableFuture<byte[]> stderr = read(err, cut, kill);
      ExecHandle h;
      try {
        h =
            runtime.exec(
                containerId,
                process,
                new ExecOptions(
                    null,
                    null,
                    new Stdio(
                        Redirect.from(new File("/dev/null")),
                        Redirect.to(out.toFile()),
                        Redirect.to(err.toFile()))));
      } catch (ContainerException | RuntimeException e) {
        // Nothing will write: an end of file releases the readers.
        Files.newOutputStream(out).close();
        Files.newOutputStream(err).close();
        throw e;
      }
      pid.set(h.pid());
      if (cut.get()) {
        kill.run();
      }
      int exit;
      try {
        exit = h.exit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        kill.run();
        exit = h.exit().get(10, TimeUnit.SECONDS);
      }
      return new ExecResult(
          exit,
          text(stdout.get(10, TimeUnit.SECONDS)),
          text(stderr.get(10, TimeUnit.SECONDS)),
          cut.get());
    } catch (ExecutionException | TimeoutException e) {
      throw new ContainerException("exec in " + containerId + ": " + e.getMessage());
    } finally {
      FileTrees.delete(dir);
    }
  }

  /**
   * Reads a pipe to its end, keeping the first MAX_OUTPUT bytes; past them the command is killed
   * and the rest drained.
   */
  private CompletableFuture<byte[]> read(Path fifo, AtomicBoolean cut, Runnable kill) {
    return CompletableFuture.supplyAsync(
        () -> {
          ByteArrayOutputStream kept = new ByteArrayOutputStream();
          byte[] buf = new byte[64 * 1024];
          try (InputStream in = Files.newInputStream(fifo)) {
            for (int n; (n = in.read(buf)) >= 0; ) {
              int room = MAX_OUTPUT - kept.size();
              kept.write(buf, 0, Math.min(room, n));
              if (n > room && !cut.getAndSet(true)) {
                kill.run();
              }
            }
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          return kept.toByteArray();
        },
        readers);
  }

  /** The command in the container with a terminal of {@code columns} x {@code rows}. */
  public TerminalSession terminal(String containerId, List<String> command, int columns, int rows)
      throws ContainerException, IOException {
    return TerminalSession.start(runtime, containerId, command, columns, rows);
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
