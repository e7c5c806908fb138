package dev.berth.cli.fleet;

import java.util.concurrent.CountDownLatch;

/** Keeps a long-running command alive until SIGINT/SIGTERM, then closes what it runs, once. */
final class UntilStopped {
  private UntilStopped() {}

  static void await(AutoCloseable running, String stoppingMessage) throws InterruptedException {
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
    stopped.await();
  }
}
