package dev.berth.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Runs a host command (ip, iptables-save, ...) and returns what it printed, stdout and stderr. */
public final class Shell {
  private Shell() {}

  public static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }
}
