package dev.berth.agent.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the host's network tools (iproute2's {@code ip}, {@code iptables}) and returns what
 * it printed; a failure names the command and carries the tool's own message. Blocking.
 */
public final class HostCommand {
  private static final long TIMEOUT_SECONDS = 30;

  private record Outcome(int exit, String output) {}

  private HostCommand() {}

  /** The command's output; an exit status other than 0 is an error. */
  public static String run(List<String> argv) throws IOException {
    Outcome o = execute(argv);
    if (o.exit() != 0) {
      throw new IOException(
          String.join(" ", argv) + ": " + o.output() + " (exit " + o.exit() + ")");
    }
    return o.output();
  }

  /** True when the command exits 0 (a check such as {@code iptables -C}). */
  public static boolean succeeds(List<String> argv) throws IOException {
    return execute(argv).exit() == 0;
  }

  private static Outcome execute(List<String> argv) throws IOException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String command = String.join(" ", argv);
    try {
      // Output is small (a route table, one line of error): read it all, then wait.
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(command + ": did not finish in " + TIMEOUT_SECONDS + " s");
      }
      return new Outcome(p.exitValue(), out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + command, e);
    }
  }
}
