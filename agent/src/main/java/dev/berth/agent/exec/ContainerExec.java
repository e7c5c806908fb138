package dev.berth.agent.exec;

import dev.berth.model.runtime.ContainerProcess;
import dev.berth.runtime.ContainerException;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.ExecHandle;
import dev.berth.runtime.ExecOptions;
import dev.berth.runtime.init.Stdio;
import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a command in one of the node's containers, as `kubectl exec` without a terminal: the
 * container's own user, environment and working directory, output captured. Blocking: call from a
 * worker.
 */
public final class ContainerExec {
  /** Output beyond this is cut: exec through the API is for commands, not for bulk transfer. */
  static final int MAX_OUTPUT = 1 << 20;

  private final ContainerRuntime runtime;

  public ContainerExec(ContainerRuntime runtime) {
    this.runtime = runtime;
  }

  public ExecResult run(String containerId, List<String> command, Duration timeout)
      throws ContainerException, IOException, InterruptedException {
    if (command == null || command.isEmpty()) {
      throw new IllegalArgumentException("exec needs a command");
    }
    ContainerProcess base = runtime.record(containerId).config().process();
    ContainerProcess process =
        base.execProcess(false, base.user(), command, base.env(), base.cwd());
    Path out = Files.createTempFile("berth-exec-", ".out");
    Path err = Files.createTempFile("berth-exec-", ".err");
    try {
      ExecHandle h =
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
      int exit;
      try {
        exit = h.exit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        ProcessHandle.of(h.pid()).ifPresent(ProcessHandle::destroyForcibly);
        exit = h.exit().get(10, TimeUnit.SECONDS);
      }
      return new ExecResult(exit, head(out), head(err));
    } catch (ExecutionException | TimeoutException e) {
      throw new ContainerException("exec in " + containerId + ": " + e.getMessage());
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static String head(Path f) throws IOException {
    try (var in = Files.newInputStream(f)) {
      return new String(in.readNBytes(MAX_OUTPUT), StandardCharsets.UTF_8);
    }
  }
}
