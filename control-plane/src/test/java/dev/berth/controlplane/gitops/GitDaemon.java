package dev.berth.controlplane.gitops;

import dev.berth.testing.Await;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** `git daemon` serving the bare repositories under a directory over git:// on loopback. */
final class GitDaemon implements AutoCloseable {
  private final Path base;
  private final int port;
  private Process process;

  private GitDaemon(Path base, int port) {
    this.base = base;
    this.port = port;
  }

  /** Serves {@code base} on a free port of 127.0.0.1. */
  static GitDaemon start(Path base) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    GitDaemon d = new GitDaemon(base, port);
    d.start();
    return d;
  }

  /** (Re)starts the daemon on its port. */
  void start() throws Exception {
    process =
        new ProcessBuilder(
                "git",
                "daemon",
                "--reuseaddr",
                "--export-all",
                "--informative-errors",
                "--listen=127.0.0.1",
                "--port=" + port,
                "--base-path=" + base,
                base.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    Await.until(this::accepting, "git daemon listening on " + port, 10_000);
  }

  private boolean accepting() {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  String url(String repository) {
    return "git://127.0.0.1:" + port + "/" + repository + ".git";
  }

  /** Stops the daemon (the repositories stay); {@link #start()} brings it back on the same port. */
  void stop() throws InterruptedException {
    if (process != null) {
      process.descendants().forEach(ProcessHandle::destroy);
      process.destroy();
      process.waitFor(10, TimeUnit.SECONDS);
      process = null;
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
