package dev.berth.model.concurrent;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Runs a level-triggered loop's passes (the agent's reconciler, the scheduler) one at a time: a
 * trigger while a pass runs asks for exactly one more pass after it, however many triggers came,
 * since that pass reads the whole state anew. Counts the passes that finished, so tests can wait
 * for "a few passes" instead of sleeping.
 */
public final class OnePassAtATime {
  private final Supplier<CompletionStage<?>> pass;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean again = new AtomicBoolean();
  private final AtomicLong finished = new AtomicLong();

  /**
   * {@code pass} starts one pass and completes when it is over (on a worker: it must not block the
   * caller).
   */
  public OnePassAtATime(Supplier<CompletionStage<?>> pass) {
    this.pass = pass;
  }

  /** Starts a pass now, or one more after the running one. */
  public void trigger() {
    if (!running.compareAndSet(false, true)) {
      again.set(true);
      return;
    }
    CompletionStage<?> started;
    try {
      started = pass.get();
    } catch (RuntimeException e) {
      started = CompletableFuture.failedFuture(e);
    }
    started.whenComplete(
        (result, error) -> {
          finished.incrementAndGet();
          running.set(false);
          if (again.getAndSet(false)) {
            trigger();
          }
        });
  }

  /** How many passes have finished, failed ones included. */
  public long finishedPasses() {
    return finished.get();
  }
}
