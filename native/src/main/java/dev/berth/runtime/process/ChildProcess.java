package dev.berth.runtime.process;

import dev.berth.runtime.libc.Native;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A child process the runtime started (berth-init as a container's monitor, an exec helper), held
 * by a pidfd and reaped by the one {@link ChildReaper} thread: unlike {@link Process}, it costs no
 * JDK reaper thread while it lives, so a node with a thousand containers has one waiting thread,
 * not a thousand. Signals go through the pidfd, so they can never reach a recycled pid.
 */
public final class ChildProcess {
  private static final long SYS_PIDFD_SEND_SIGNAL = 424;

  private final int pid;
  private int pidfd; // guarded by this; -1 once reaped
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();

  ChildProcess(int pid, int pidfd) {
    this.pid = pid;
    this.pidfd = pidfd;
  }

  public int pid() {
    return pid;
  }

  synchronized int pidfd() {
    return pidfd;
  }

  /**
   * Completes with the exit code (128+signal when a signal killed it) once it is reaped; dependent
   * actions run on the common pool, never on the reaper thread.
   */
  public CompletableFuture<Integer> onExit() {
    return exit.thenApplyAsync(code -> code);
  }

  public boolean isAlive() {
    return !exit.isDone();
  }

  /** The exit code if it ends within {@code millis}, else -1 (it still runs, or interrupted). */
  public int exitWithin(long millis) {
    try {
      return exit.get(millis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** SIGKILL, unless it has been reaped already. */
  public void kill() {
    signal(9);
  }

  /** Sends {@code signal} through the pidfd; false when it has been reaped already. */
  public synchronized boolean signal(int signal) {
    if (pidfd < 0) {
      return false;
    }
    long r = Native.libc().syscall(SYS_PIDFD_SEND_SIGNAL, pidfd, signal, 0, 0);
    return r == 0; // ESRCH: exited, and the reaper is about to say so
  }

  /** Called by the reaper once waitid has collected the status. */
  void exited(int code) {
    closePidfd();
    exit.complete(code);
  }

  void lost(RuntimeException why) {
    closePidfd();
    exit.completeExceptionally(why);
  }

  private synchronized void closePidfd() {
    if (pidfd >= 0) {
      Native.libc().close(pidfd);
      pidfd = -1;
    }
  }

  @Override
  public String toString() {
    return "child " + pid;
  }
}
