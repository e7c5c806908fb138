package dev.berth.cli.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * `berth up &` from a script starts with SIGINT ignored (as every background job of a
 * non-interactive shell): `kill -INT` must still stop it cleanly, closing what it runs.
 */
class UntilStoppedTest {
  @Test
  void aBackgroundJobWithSigintIgnoredStillStopsCleanlyOnSigint() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                List.of(
                    "sh",
                    "-c",
                    "trap '' INT; exec \"$0\" \"$@\"",
                    java,
                    "-cp",
                    System.getProperty("java.class.path"),
                    StopProbe.class.getName()))
            .redirectErrorStream(true)
            .start();
    try {
      var out = p.inputReader(StandardCharsets.UTF_8);
      assertEquals("ready, SIGINT ignored: true", out.readLine(), "started as a background job");
      // The probe says ready once the handlers are in place.
      new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
      assertTrue(p.waitFor(20, TimeUnit.SECONDS), "stopped on SIGINT");
      assertEquals(130, p.exitValue());
      assertEquals("stopping", out.readLine());
      assertEquals("closed", out.readLine());
    } finally {
      p.destroyForcibly();
    }
  }
}
