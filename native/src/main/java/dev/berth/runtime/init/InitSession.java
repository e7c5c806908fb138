package dev.berth.runtime.init;

import dev.berth.runtime.ContainerException;
import dev.berth.runtime.libc.Native;
import dev.berth.runtime.process.ChildProcess;
import dev.berth.runtime.process.ProcessSpawner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One conversation with berth-init: start it, send the plan, hand over the container pid, answer
 * the hook point, and learn whether the container is ready. Closing the session before "go" makes
 * the container process exit, so an aborted create leaves no process behind.
 */
public final class InitSession implements AutoCloseable {
  private final Path socketPath;
  private final ServerSocketChannel server;
  private final ChildProcess helper;
  private int dirFd; // the socket's directory, held until berth-init has connected; -1 after
  private SocketChannel channel;

  private InitSession(Path socketPath, ServerSocketChannel server, ChildProcess helper, int dirFd) {
    this.socketPath = socketPath;
    this.server = server;
    this.helper = helper;
    this.dirFd = dirFd;
  }

  /** Starts berth-init with the given stdio and sends it the plan. */
  public static InitSession start(Path socketPath, InitPlan plan, Stdio stdio)
      throws ContainerException {
    InitSession session = launch(socketPath, stdio);
    try {
      session.send(plan);
      return session;
    } catch (ContainerException e) {
      session.abort();
      throw e;
    }
  }

  /**
   * Starts berth-init without waiting for it, so the caller can do other work (create the cgroup)
   * while it execs and connects; {@link #send} then completes the handshake.
   */
  public static InitSession launch(Path socketPath, Stdio stdio) throws ContainerException {
    ServerSocketChannel server = null;
    int dirFd = -1;
    try {
      Files.deleteIfExists(socketPath);
      // A socket's path is limited to 107 bytes, and a state root such as containerd's
      // /run/containerd/runc/<namespace> with a 64-hex id passes that. The socket is named through
      // a descriptor of its directory instead: /proc/self/fd/N/NAME here, /proc/PID/fd/N/NAME for
      // berth-init, whatever the directory's own path.
      dirFd = Native.openDirectoryPath(socketPath.getParent().toString());
      String name = socketPath.getFileName().toString();
      server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of("/proc/self/fd/" + dirFd + "/" + name));
      String forHelper = "/proc/" + ProcessHandle.current().pid() + "/fd/" + dirFd + "/" + name;
      // posix_spawn, not ProcessBuilder: a monitor lives as long as its container, and the JDK
      // would park a reaper thread for each one
      ChildProcess helper =
          ProcessSpawner.spawn(
              List.of(InitBinary.path().toString(), forHelper),
              stdio.in(),
              stdio.out(),
              stdio.err());
      return new InitSession(socketPath, server, helper, dirFd);
    } catch (IOException | RuntimeException e) {
      closeQuietly(server);
      if (dirFd >= 0) {
        Native.close(dirFd);
      }
      deleteQuietly(socketPath);
      throw new ContainerException("cannot start " + InitBinary.path() + ": " + e.getMessage(), e);
    }
  }

  /** Waits for berth-init to connect and sends it the plan. */
  public void send(InitPlan plan) throws ContainerException {
    try {
      accept();
      byte[] bytes = plan.toBytes();
      send(bytes.length + "\n");
      channel.write(ByteBuffer.wrap(bytes));
    } catch (IOException e) {
      throw new ContainerException("cannot send the plan to berth-init: " + e.getMessage(), e);
    }
  }

  /**
   * Ends the session and the helper: the container process, if cloned, exits on the closed socket.
   */
  public void abort() {
    close();
    helper.kill();
  }

  private void accept() throws IOException, ContainerException {
    // A plain blocking accept; if berth-init dies before connecting, closing the server ends the
    // wait.
    CompletableFuture<Integer> died = helper.onExit();
    died.thenRun(() -> closeQuietly(server));
    try {
      channel = server.accept();
    } catch (AsynchronousCloseException e) {
      throw new ContainerException(
          "berth-init exited with status "
              + helper.exitWithin(1000)
              + " before connecting (see its stderr)");
    } finally {
      died.cancel(false);
    }
    server.close();
    Files.deleteIfExists(socketPath);
    closeDir();
  }

  private void closeDir() {
    if (dirFd >= 0) {
      Native.close(dirFd);
      dirFd = -1;
    }
  }

  public ChildProcess helper() {
    return helper;
  }

  /** Reads "pid N" and returns N: the container process exists, stopped before any setup. */
  public int awaitPid() throws ContainerException {
    String line = expect("pid");
    return Integer.parseInt(line.substring(4).trim());
  }

  public void go() throws ContainerException {
    send("go\n");
  }

  /**
   * Waits for the hook point (mounts done, before pivot_root); the caller runs hooks, then {@link
   * #resume()}.
   */
  public void awaitHookPoint() throws ContainerException {
    expect("hooks");
  }

  public void resume() throws ContainerException {
    send("resume\n");
  }

  public void awaitReady() throws ContainerException {
    expect("ready");
  }

  private String expect(String word) throws ContainerException {
    String line = readLine();
    if (line == null) {
      throw new ContainerException(
          "berth-init closed the control socket before \"" + word + "\"" + exitNote());
    }
    if (line.startsWith("error ")) {
      throw new ContainerException(line.substring(6));
    }
    if (!line.equals(word) && !line.startsWith(word + " ")) {
      throw new ContainerException(
          "berth-init sent \"" + line + "\" where \"" + word + "\" was expected");
    }
    return line;
  }

  private String exitNote() {
    int status = helper.exitWithin(100);
    return status >= 0 ? " (it exited with status " + status + ")" : "";
  }

  private void send(String line) throws ContainerException {
    try {
      channel.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII)));
    } catch (IOException e) {
      throw new ContainerException("berth-init went away: " + e.getMessage(), e);
    }
  }

  private String readLine() throws ContainerException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(64);
    ByteBuffer one = ByteBuffer.allocate(1);
    try {
      while (true) {
        one.clear();
        if (channel.read(one) <= 0) {
          return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
        }
        byte b = one.get(0);
        if (b == '\n') {
          return line.toString(StandardCharsets.UTF_8);
        }
        line.write(b);
      }
    } catch (IOException e) {
      throw new ContainerException("reading from berth-init: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    closeQuietly(channel);
    closeQuietly(server);
    deleteQuietly(socketPath);
    closeDir();
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c != null) {
      try {
        c.close();
      } catch (Exception ignored) {
        // closing
      }
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // already gone
    }
  }
}
