package dev.berth.model.concurrent;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Pools of daemon threads (they never keep a stopping process alive), named for thread dumps. */
public final class DaemonThreads {
  private DaemonThreads() {}

  /** A cached pool: threads made as needed, gone after a minute idle. */
  public static ExecutorService cached(String name) {
    return Executors.newCachedThreadPool(
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
  }
}
