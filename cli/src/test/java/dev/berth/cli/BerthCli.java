package dev.berth.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

/** Runs `berth` command lines in the test's JVM and captures what they print. */
public final class BerthCli {
  /** A command's exit code and output. */
  public record Out(int exit, String out, String err) {}

  private BerthCli() {}

  public static synchronized Out run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true));
      System.setErr(new PrintStream(err, true));
      int code = BerthMain.execute(args);
      return new Out(code, out.toString(), err.toString());
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }
}
