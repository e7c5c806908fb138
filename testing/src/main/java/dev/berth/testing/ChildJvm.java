package dev.berth.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A main class run in a child JVM on the test's class path, as it runs on a real machine (for
 * example `berth agent` as its own process, to be killed); its output goes to a log file the test
 * can wait on.
 */
public final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final String mainClass;

  private ChildJvm(Process process, Path log, String mainClass) {
    this.process = process;
    this.log = log;
    this.mainClass = mainClass;
  }

  /** Starts {@code mainClass} with {@code args}, its stdout and stderr going to {@code log}. */
  public static ChildJvm start(Path log, String mainClass, String... args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-Xshare:auto",
                "-Djnr.ffi.asm.enabled=false",
                "-Djdk.lang.Process.launchMechanism=VFORK",
                // beside its log, in the test's own directory: a child killed with SIGKILL never
                // removes its Vert.x file cache, which would stay in /tmp
                "-Dvertx.cacheDirBase=" + log.toAbsolutePath().resolveSibling("vertx-cache")));
    if (System.getProperty("berth.init") != null) {
      command.add("-Dberth.init=" + System.getProperty("berth.init"));
    }
    // Hazelcast's opens, as bin/lib/launcher.sh gives them.
    command.addAll(
        List.of(
            "--add-opens",
            "java.base/java.lang=ALL-UNNAMED",
            "--add-opens",
            "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens",
            "java.management/sun.management=ALL-UNNAMED",
            "--add-opens",
            "jdk.management/com.sun.management.internal=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            mainClass));
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new ChildJvm(p, log, mainClass);
  }

  /**
   * Waits until the process printed a line containing {@code text}; fails with its output if it
   * died.
   */
  public String awaitLine(String text, long timeoutMillis) throws Exception {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (System.currentTimeMillis() < deadline) {
      String out = Files.exists(log) ? Files.readString(log) : "";
      for (String line : out.split("\n")) {
        if (line.contains(text)) {
          return line;
        }
      }
      if (!process.isAlive()) {
        throw new AssertionError(
            mainClass
                + " exited with "
                + process.exitValue()
                + " before printing \""
                + text
                + "\":\n"
                + out);
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new AssertionError(
        mainClass + " did not print \"" + text + "\" in time:\n" + Files.readString(log));
  }

  public long pid() {
    return process.pid();
  }

  /** SIGKILL: the process dies on the spot, as on a crash or an OOM kill. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM and wait for a clean stop. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
