package dev.berth.controlplane.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import dev.berth.embedded.EmbeddedHazelcast;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * One leader at a time in a real Hazelcast member; the other takes over when the leader stops
 * renewing.
 */
class LeaderLeaseTest {
  @Test
  void onlyOneCandidateLeadsAndAnotherTakesOverWhenItsLeaseLapses() throws Exception {
    HazelcastInstance hz = EmbeddedHazelcast.start("berth-leader-" + ProcessHandle.current().pid());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      AtomicLong now = new AtomicLong(1_000_000);
      List<LeaderLease> candidates = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        candidates.add(new LeaderLease(hz, "scheduler", "cp-" + i, 3000, now::get));
      }
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Boolean>> results = new ArrayList<>();
      for (LeaderLease c : candidates) {
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  return c.acquireOrRenew();
                }));
      }
      go.countDown();
      int leaders = 0;
      int winner = -1;
      for (int i = 0; i < results.size(); i++) {
        if (results.get(i).get()) {
          leaders++;
          winner = i;
        }
      }
      assertTrue(leaders == 1, "exactly one leader among 8 racing candidates, got " + leaders);
      LeaderLease other = candidates.get((winner + 1) % candidates.size());

      now.addAndGet(2000);
      assertTrue(candidates.get(winner).acquireOrRenew(), "the leader renews");
      assertFalse(other.acquireOrRenew(), "the lease is held");
      now.addAndGet(3500); // the leader died: no renewal
      assertTrue(other.acquireOrRenew(), "a candidate takes over once the lease has lapsed");
      assertFalse(candidates.get(winner).acquireOrRenew(), "the old leader is fenced out");
      other.release();
      assertTrue(candidates.get(winner).acquireOrRenew(), "a released lease is free at once");
    } finally {
      pool.shutdownNow();
      hz.shutdown();
    }
  }

  @Test
  void aFencedLeaderGivesTheLeaseUpAndCompetesAgainOnlyWhenItSeesTheFleet() throws Exception {
    HazelcastInstance hz = EmbeddedHazelcast.start("berth-stand-" + ProcessHandle.current().pid());
    try {
      AtomicLong now = new AtomicLong(1_000_000);
      AtomicBoolean seesFleet = new AtomicBoolean(false);
      LeaderLease lease = new LeaderLease(hz, "scheduler", "cp-1", 3000, now::get);
      lease.returnOnlyWhen(seesFleet::get);
      assertTrue(lease.acquireOrRenew());
      lease.standDown();
      assertEquals(null, hz.getMap(LeaderLease.MAP).get("scheduler"), "the lease is given up");
      now.addAndGet(5999);
      assertFalse(lease.acquireOrRenew(), "not within two lease lengths");
      now.addAndGet(10_000);
      assertFalse(lease.acquireOrRenew(), "not while it sees no node");
      seesFleet.set(true);
      assertTrue(lease.acquireOrRenew(), "back once it sees the fleet");
      assertTrue(lease.acquireOrRenew(), "and renews as before");
    } finally {
      hz.shutdown();
    }
  }
}
