package dev.berth.cli.runc;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a command a test runs did: its exit status, stdout and stderr apart (a runtime that copies
 * them through two pipes does not keep their interleaving), through files in the test's directory
 * (a created container keeps pipes open).
 */
record CommandOutcome(int exit, String out, String err) {
  private static final AtomicInteger NEXT = new AtomicInteger();

  /** Runs {@code argv} with stdin from /dev/null; fails the test past {@code seconds}. */
  static CommandOutcome run(List<String> argv, Path dir, long seconds) throws Exception {
    int n = NEXT.getAndIncrement();
    Path out = dir.resolve("out-" + n);
    Path err = dir.resolve("err-" + n);
    Process p =
        new ProcessBuilder(argv)
            .redirectInput(new File("/dev/null"))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(argv + " did not end in " + seconds + " s");
    }
    return new CommandOutcome(p.exitValue(), Files.readString(out), Files.readString(err));
  }
}
