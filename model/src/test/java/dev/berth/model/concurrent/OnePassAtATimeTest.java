package dev.berth.model.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Triggers during a pass coalesce into one more pass; a failed pass does not stop the loop. */
class OnePassAtATimeTest {
  private final List<CompletableFuture<Void>> started = new ArrayList<>();
  private final OnePassAtATime passes =
      new OnePassAtATime(
          () -> {
            CompletableFuture<Void> f = new CompletableFuture<>();
            started.add(f);
            return f;
          });

  @Test
  void triggersDuringAPassBecomeExactlyOneMorePass() {
    passes.trigger();
    passes.trigger();
    passes.trigger();
    assertEquals(1, started.size(), "one pass at a time");
    started.get(0).complete(null);
    assertEquals(2, started.size(), "the triggers during it asked for one more");
    started.get(1).complete(null);
    assertEquals(2, started.size(), "and only one");
    assertEquals(2, passes.finishedPasses());
  }

  @Test
  void aFailedPassCountsAndTheNextTriggerRunsAgain() {
    passes.trigger();
    started.get(0).completeExceptionally(new IllegalStateException("broker down"));
    passes.trigger();
    assertEquals(2, started.size());
    assertEquals(1, passes.finishedPasses());
  }

  @Test
  void aPassThatThrowsBeforeStartingDoesNotWedgeTheLoop() {
    boolean[] fail = {true};
    OnePassAtATime throwing =
        new OnePassAtATime(
            () -> {
              if (fail[0]) {
                fail[0] = false;
                throw new IllegalStateException("no worker");
              }
              return CompletableFuture.completedFuture(null);
            });
    throwing.trigger();
    throwing.trigger();
    assertEquals(2, throwing.finishedPasses());
  }
}
