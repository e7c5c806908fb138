package dev.berth.controlplane.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Token buckets per token: bursts, refills, one token's bucket apart from another's, bounded. */
class RateLimitTest {
  private final AtomicLong now = new AtomicLong();
  private final RateLimit limit = new RateLimit("apply", 1, 2, now::get);

  @Test
  void aBurstIsCutAndRefillsAtTheRate() {
    assertEquals(0, limit.take("ci"));
    assertEquals(0, limit.take("ci"));
    double wait = limit.take("ci");
    assertTrue(wait > 0.99 && wait <= 1, "wait " + wait);
    assertEquals(0, limit.take("alice"), "another token has its own bucket");
    now.addAndGet(1_000_000_000L);
    assertEquals(0, limit.take("ci"), "one more after a second at 1/s");
    assertTrue(limit.take("ci") > 0);
  }

  @Test
  void bucketsOfTokensGoneQuietAreDroppedSoTheMapStaysBounded() {
    for (int i = 0; i <= RateLimit.MAX_BUCKETS; i++) {
      limit.take("token-" + i);
    }
    limit.take("busy");
    limit.take("busy");
    now.addAndGet(10_000_000_000L); // every bucket but the next one's is full again
    limit.take("one-more");
    assertTrue(limit.buckets() <= 2, "buckets left: " + limit.buckets());
    assertEquals(0, limit.take("busy"), "a dropped bucket was a full one: nothing is lost");
  }
}
