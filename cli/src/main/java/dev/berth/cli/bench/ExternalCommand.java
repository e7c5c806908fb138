package dev.berth.cli.bench;

import java.io.File;
import java.util.List;

/**
 * Runs a peer's command line (runc, crun, skopeo, umoci) for a benchmark, failing loudly when it
 * fails.
 */
final class ExternalCommand {
  private ExternalCommand() {}

  static void run(List<String> command) throws Exception {
    Process p =
        new ProcessBuilder(command)
            .redirectInput(new File("/dev/null"))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited with " + p.exitValue());
    }
  }
}
