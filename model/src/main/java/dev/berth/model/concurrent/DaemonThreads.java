package dev.berth.model.concurrent;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/** Pools of daemon threads (they never keep a stopping process alive), named for thread dumps. */
public final class DaemonThreads {
  private DaemonThreads() {}

  /** A cached pool: threads made as needed, gone after a minute idle. */
  public static ExecutorService cached(String name) {
    return Executors.newCachedThreadPool(named(name));
  }

  /** One thread, running its tasks in order. */
  public static ExecutorService single(String name) {
    return Executors.newSingleThreadExecutor(named(name));
  }

  /** One thread for timers. */
  public static ScheduledExecutorService scheduled(String name) {
    return Executors.newSingleThreadScheduledExecutor(named(name));
  }

  private static ThreadFactory named(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
