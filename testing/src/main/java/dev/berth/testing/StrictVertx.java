package dev.berth.testing;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.impl.VertxInternal;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A Vert.x for tests whose event loops may not block: any loop busy for more than {@code maxMillis}
 * is recorded (instead of only logged), and {@link #assertNeverBlocked()} fails the test with the
 * thread named.
 */
public final class StrictVertx {
  private final Vertx vertx;
  private final List<String> blocked = new CopyOnWriteArrayList<>();

  public StrictVertx(long maxMillis) {
    vertx =
        Vertx.vertx(
            new VertxOptions()
                .setMaxEventLoopExecuteTime(maxMillis)
                .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
                .setBlockedThreadCheckInterval(Math.max(10, maxMillis / 4))
                .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS));
    ((VertxInternal) vertx)
        .blockedThreadChecker()
        .setThreadBlockedHandler(
            e -> {
              if (e.thread().getName().contains("eventloop")) {
                StringBuilder where = new StringBuilder();
                for (StackTraceElement frame : e.thread().getStackTrace()) {
                  if (where.length() < 4000) {
                    where.append("\n    at ").append(frame);
                  }
                }
                blocked.add(
                    e.thread().getName()
                        + " blocked for "
                        + TimeUnit.NANOSECONDS.toMillis(e.duration())
                        + " ms"
                        + where);
              }
            });
  }

  public Vertx vertx() {
    return vertx;
  }

  /** Fails when any event loop was blocked longer than allowed since this Vert.x started. */
  public void assertNeverBlocked() {
    if (!blocked.isEmpty()) {
      throw new AssertionError("event loop blocked: " + blocked);
    }
  }

  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
