package dev.berth.chaos.lab;

import dev.berth.runtime.libc.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One `berth` process of the lab (the broker, a control plane, an agent): the same JVM and class
 * path as this one, in a network namespace of its own when given one (nsenter switches the network
 * namespace only: the mount namespace stays the host's, so what an agent mounts is where the next
 * agent, `berth down` and the observer look). Output goes to a log file; signals go to its pid.
 */
public final class LabProcess {
  private static final int SIGKILL = 9;
  private static final int SIGTERM = 15;
  private static final int SIGCONT = 18;
  private static final int SIGSTOP = 19;

  private final String name;
  private final Path netns;
  private final List<String> args;
  private final Path log;
  private Process process;

  /** A process named {@code name} running `berth ARGS...`, in {@code netns} (null: the host's). */
  public LabProcess(String name, Path netns, List<String> args, Path log) {
    this.name = name;
    this.netns = netns;
    this.args = List.copyOf(args);
    this.log = log;
  }

  public String name() {
    return name;
  }

  /** Starts it (again) and waits until it printed {@code readyLine}. */
  public synchronized void start(String readyLine, long timeoutMillis) throws Exception {
    long from = launch();
    awaitLine(from, readyLine, timeoutMillis);
  }

  /** Runs it to its end (a one-shot command such as `berth down`); fails unless it exits 0. */
  public synchronized void runToExit(long timeoutMillis) throws Exception {
    long from = launch();
    if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
      kill();
      throw new IOException(name + " did not finish in " + timeoutMillis + " ms:\n" + tail(from));
    }
    if (process.exitValue() != 0) {
      throw new IOException(name + " exited with " + process.exitValue() + ":\n" + tail(from));
    }
  }

  private long launch() throws IOException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(name + " is running already (pid " + process.pid() + ")");
    }
    List<String> command = new ArrayList<>();
    if (netns != null) {
      command.addAll(List.of("nsenter", "--net=" + netns, "--"));
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // C1 only, a small heap and the serial collector: six of these share two cores in the lab.
    command.addAll(
        List.of(
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Xmx384m",
            "-Xshare:auto",
            "-Djnr.ffi.asm.enabled=false",
            "-Djdk.lang.Process.launchMechanism=VFORK",
            // in the lab's directory: a killed process never removes its Vert.x file cache
            "-Dvertx.cacheDirBase=" + log.toAbsolutePath().resolveSibling("vertx-cache"),
            "--add-opens",
            "java.base/java.lang=ALL-UNNAMED",
            "--add-opens",
            "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens",
            "java.management/sun.management=ALL-UNNAMED",
            "--add-opens",
            "jdk.management/com.sun.management.internal=ALL-UNNAMED"));
    if (System.getProperty("berth.init") != null) {
      command.add("-Dberth.init=" + System.getProperty("berth.init"));
    }
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), "dev.berth.cli.BerthMain"));
    command.addAll(args);
    long from = Files.exists(log) ? Files.size(log) : 0;
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    return from;
  }

  private void awaitLine(long from, String text, long timeoutMillis) throws Exception {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (System.currentTimeMillis() < deadline) {
      if (written(from).contains(text)) {
        return;
      }
      if (!process.isAlive()) {
        throw new IOException(
            name + " exited with " + process.exitValue() + " before it was ready:\n" + tail(from));
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new IOException(name + " was not ready in " + timeoutMillis + " ms:\n" + tail(from));
  }

  private String written(long from) throws IOException {
    byte[] all = Files.readAllBytes(log);
    return new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from));
  }

  private String tail(long from) throws IOException {
    String out = written(from);
    return out.length() > 4000 ? out.substring(out.length() - 4000) : out;
  }

  public synchronized boolean alive() {
    return process != null && process.isAlive();
  }

  public synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  /** SIGKILL, as a crash or the OOM killer; waits until it is gone. */
  public synchronized void kill() throws InterruptedException {
    if (alive()) {
      Native.kill((int) process.pid(), SIGKILL);
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** SIGSTOP: frozen, as a long GC pause or a hung VM. */
  public synchronized void pause() {
    if (alive()) {
      Native.kill((int) process.pid(), SIGSTOP);
    }
  }

  /** SIGCONT after {@link #pause}. */
  public synchronized void resume() {
    if (alive()) {
      Native.kill((int) process.pid(), SIGCONT);
    }
  }

  /** SIGTERM (resumed first if paused) and a wait for its orderly stop; SIGKILL after 30 s. */
  public synchronized void stop() throws InterruptedException {
    if (alive()) {
      Native.kill((int) process.pid(), SIGCONT);
      Native.kill((int) process.pid(), SIGTERM);
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
