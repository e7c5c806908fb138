package dev.berth.testing;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Polls a condition a user would observe until it holds, failing with what was awaited when it does
 * not.
 */
public final class Await {
  private Await() {}

  /** Waits up to {@code timeoutMillis} for {@code condition}, checking every 100 ms. */
  public static void until(BooleanSupplier condition, String what, long timeoutMillis)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out after " + timeoutMillis + " ms waiting for " + what);
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }
}
