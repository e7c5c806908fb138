package dev.berth.runtime.hooks;

import dev.berth.model.JsonMapping;
import dev.berth.model.runtime.Hook;
import dev.berth.model.runtime.State;
import dev.berth.runtime.ContainerException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs runtime-spec hooks in order, each with the container state as JSON on its stdin. */
public final class HookRunner {
  private HookRunner() {}

  /** Runs the hooks of one phase; the first failure stops the phase and is thrown. */
  public static void run(String phase, List<Hook> hooks, State state) throws ContainerException {
    if (hooks == null) {
      return;
    }
    byte[] stdin = JsonMapping.writeCompact(state).getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < hooks.size(); i++) {
      runOne(phase + "[" + i + "]", hooks.get(i), stdin);
    }
  }

  /**
   * Runs every hook of a phase whose failures the spec says only to warn of (poststart, poststop):
   * a failing hook does not keep the rest from running. Returns the failures, in order.
   */
  public static List<ContainerException> runAll(String phase, List<Hook> hooks, State state) {
    List<ContainerException> failures = new ArrayList<>();
    if (hooks == null) {
      return failures;
    }
    byte[] stdin = JsonMapping.writeCompact(state).getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < hooks.size(); i++) {
      try {
        runOne(phase + "[" + i + "]", hooks.get(i), stdin);
      } catch (ContainerException e) {
        failures.add(e);
      }
    }
    return failures;
  }

  private static void runOne(String where, Hook hook, byte[] stdin) throws ContainerException {
    List<String> command = new ArrayList<>();
    command.add(hook.path());
    // args[0] is the program's own name; the JDK cannot set argv[0], so it passes only the rest.
    if (hook.args() != null && hook.args().size() > 1) {
      command.addAll(hook.args().subList(1, hook.args().size()));
    }
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.INHERIT)
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    Map<String, String> env = pb.environment();
    env.clear();
    if (hook.env() != null) {
      for (String e : hook.env()) {
        int eq = e.indexOf('=');
        if (eq > 0) {
          env.put(e.substring(0, eq), e.substring(eq + 1));
        }
      }
    }
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new ContainerException(
          "hook " + where + " " + hook.path() + ": cannot start: " + e.getMessage(), e);
    }
    try (OutputStream in = p.getOutputStream()) {
      in.write(stdin);
    } catch (IOException e) {
      // a hook that does not read its stdin is fine
    }
    try {
      long timeout = hook.timeout() == null ? Long.MAX_VALUE : hook.timeout();
      if (!p.waitFor(timeout, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new ContainerException(
            "hook " + where + " " + hook.path() + ": timed out after " + timeout + "s");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new ContainerException("hook " + where + " " + hook.path() + ": interrupted");
    }
    if (p.exitValue() != 0) {
      throw new ContainerException(
          "hook " + where + " " + hook.path() + ": exited with status " + p.exitValue());
    }
  }
}
