package dev.berth.cli.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** `berth ARGS...` as a child JVM of the test, as it runs on a real node; output goes to a log file. */
final class BerthProcess implements AutoCloseable {
  private final Process process;
  private final Path log;

  private BerthProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static BerthProcess start(Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-Djnr.ffi.asm.enabled=false",
        "-Djdk.lang.Process.launchMechanism=VFORK"));
    if (System.getProperty("berth.init") != null) {
      command.add("-Dberth.init=" + System.getProperty("berth.init"));
    }
    // Hazelcast's opens, as bin/lib/launcher.sh gives them.
    command.addAll(List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens",
        "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.management/sun.management=ALL-UNNAMED",
        "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), "dev.berth.cli.BerthMain"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new BerthProcess(p, log);
  }

  /** Waits until the process printed a line containing {@code text}; fails with its output if it died. */
  String awaitLine(String text, long timeoutMillis) throws Exception {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (System.currentTimeMillis() < deadline) {
      String out = Files.exists(log) ? Files.readString(log) : "";
      for (String line : out.split("\n")) {
        if (line.contains(text)) {
          return line;
        }
      }
      if (!process.isAlive()) {
        throw new AssertionError("berth exited with " + process.exitValue() + " before printing \"" + text + "\":\n" + out);
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new AssertionError("berth did not print \"" + text + "\" in time:\n" + Files.readString(log));
  }

  long pid() {
    return process.pid();
  }

  /** SIGKILL: the process dies on the spot, as on a crash or an OOM kill. */
  void kill() throws InterruptedException {
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
