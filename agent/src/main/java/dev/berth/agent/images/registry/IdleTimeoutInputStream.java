package dev.berth.agent.images.registry;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A response body that fails when the registry sends nothing for a while: the JDK HttpClient has a
 * timeout for the response headers only, so a stalled body would block its reader for ever. A
 * watchdog closes the stream when a read has waited too long, and the read then fails with the
 * reason (the puller resumes from what arrived).
 */
final class IdleTimeoutInputStream extends FilterInputStream {
  private static final ScheduledExecutorService WATCHDOG =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "berth-registry-idle-watchdog");
            t.setDaemon(true);
            return t;
          });

  private final Duration idle;
  private final String what;
  private volatile long lastProgressNanos = System.nanoTime();
  private volatile boolean timedOut;
  private final ScheduledFuture<?> check;

  IdleTimeoutInputStream(InputStream in, Duration idle, String what) {
    super(in);
    this.idle = idle;
    this.what = what;
    long period = Math.max(10, idle.toMillis() / 4);
    this.check =
        WATCHDOG.scheduleAtFixedRate(this::checkIdle, period, period, TimeUnit.MILLISECONDS);
  }

  private void checkIdle() {
    if (System.nanoTime() - lastProgressNanos > idle.toNanos()) {
      timedOut = true;
      check.cancel(false);
      try {
        in.close(); // wakes the blocked reader
      } catch (IOException ignored) {
        // closing
      }
    }
  }

  private int progressed(int n) throws IOException {
    if (timedOut) {
      throw new IOException(
          what + ": no data from the registry for " + idle.toSeconds() + " s (idle timeout)");
    }
    lastProgressNanos = System.nanoTime();
    return n;
  }

  @Override
  public int read() throws IOException {
    int b;
    try {
      b = super.read();
    } catch (IOException e) {
      progressed(0);
      throw e;
    }
    return progressed(b);
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n;
    try {
      n = super.read(b, off, len);
    } catch (IOException e) {
      progressed(0);
      throw e;
    }
    return progressed(n);
  }

  @Override
  public void close() throws IOException {
    check.cancel(false);
    super.close();
  }
}
