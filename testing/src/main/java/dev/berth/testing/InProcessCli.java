package dev.berth.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.ToIntFunction;

/** Runs a command line's entry point in the test's JVM and captures what it prints. */
public final class InProcessCli {
  /** A command's exit code and output. */
  public record Output(int exit, String out, String err) {}

  private InProcessCli() {}

  /**
   * Runs {@code main} (for example {@code BerthMain::execute}) with {@code args}; one at a time per
   * JVM.
   */
  public static synchronized Output run(ToIntFunction<String[]> main, String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = main.applyAsInt(args);
      return new Output(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }
}
