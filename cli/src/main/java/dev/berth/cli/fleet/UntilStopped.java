package dev.berth.cli.fleet;

import dev.berth.runtime.libc.Native;
import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/** Keeps a long-running command alive until SIGINT/SIGTERM, then closes what it runs, once. */
final class UntilStopped {
  private static final int SIGINT = 2;
  private static final int SIGTERM = 15;

  private UntilStopped() {}

  /**
   * A shell's background job starts with SIGINT ignored, and the JVM installs no handler for a
   * signal ignored at its start: `kill -INT` would do nothing. Gives such signals back, handled
   * with an orderly exit. Idempotent.
   */
  static void handleStopSignals() {
    for (int sig : new int[] {SIGINT, SIGTERM}) {
      if (Native.unignore(sig)) {
        Signal.handle(new Signal(sig == SIGINT ? "INT" : "TERM"), s -> System.exit(128 + sig));
      }
    }
  }

  static void await(AutoCloseable running, String stoppingMessage) throws InterruptedException {
    arm(running, stoppingMessage).await();
  }

  /**
   * Closes {@code running} when the process is told to stop (the latch opens then): the shutdown
   * hook first, then the signals, so that no stop can come before the hook is there.
   */
  static CountDownLatch arm(AutoCloseable running, String stoppingMessage) {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    System.out.println(stoppingMessage);
                    running.close();
                  } catch (Exception e) {
                    System.err.println("berth: stopping: " + e.getMessage());
                  } finally {
                    stopped.countDown();
                  }
                }));
    handleStopSignals();
    return stopped;
  }
}
