package dev.berth.agent.network;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the host's network tools (iproute2's {@code ip}, {@code iptables}) and returns what
 * it printed; a failure names the command and carries the tool's own message. Blocking.
 */
public final class HostCommand {
  private static final long TIMEOUT_SECONDS = 30;

  /** More than any route table or rule listing of a node; the rest is not read. */
  private static final int MAX_OUTPUT = 4 << 20;

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
    String command = String.join(" ", argv);
    // Output to a file, not a pipe: the time limit must hold even for a tool that never ends (a
    // read of its pipe would wait for it), and a full pipe must not stall it.
    Path out = Files.createTempFile("berth-host-command-", ".out");
    try {
      Process p =
          new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(command + ": did not finish in " + TIMEOUT_SECONDS + " s");
      }
      try (InputStream in = Files.newInputStream(out)) {
        return new Outcome(
            p.exitValue(), new String(in.readNBytes(MAX_OUTPUT), StandardCharsets.UTF_8).strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + command, e);
    } finally {
      Files.deleteIfExists(out);
    }
  }
}
