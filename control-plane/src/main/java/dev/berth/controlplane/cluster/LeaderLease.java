package dev.berth.controlplane.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.berth.model.fleet.LeaseHolder;
import java.util.function.LongSupplier;

/**
 * Leader election by lease in the Hazelcast map "leases": one holder at a time, renewed by the
 * holder, taken over by a candidate once it has expired. Every change is a compare-and-set on the
 * entry, so two candidates can never both win; a leader that fails to renew in time stops acting
 * (its next check answers false).
 */
public final class LeaderLease {
  public static final String MAP = "leases";

  /** The current holder of a lease and until when it holds it. */
  private final IMap<String, LeaseHolder> leases;

  private final String name;
  private final String candidate;
  private final long ttlMillis;
  private final LongSupplier clock;
  private volatile long standingDownUntil;
  private volatile java.util.function.BooleanSupplier mayReturn = () -> true;

  public LeaderLease(
      HazelcastInstance hazelcast,
      String name,
      String candidate,
      long ttlMillis,
      LongSupplier clock) {
    this.leases = hazelcast.getMap(MAP);
    this.name = name;
    this.candidate = candidate;
    this.ttlMillis = ttlMillis;
    this.clock = clock;
  }

  /**
   * Takes or renews the lease; true when this candidate is the leader until the next call is due.
   */
  public boolean acquireOrRenew() {
    long now = clock.getAsLong();
    if (standingDownUntil != 0) {
      if (now < standingDownUntil || !mayReturn.getAsBoolean()) {
        return false;
      }
      standingDownUntil = 0;
    }
    LeaseHolder mine = new LeaseHolder(candidate, now + ttlMillis);
    LeaseHolder current = leases.get(name);
    if (current == null) {
      return leases.putIfAbsent(name, mine) == null;
    }
    if (current.id().equals(candidate) || current.expiresAtMillis() < now) {
      if (leases.replace(name, current, mine)) {
        return true;
      }
      // Another loop of this same candidate (the scheduler, the GitOps controller) may have
      // renewed it in between: still ours.
      LeaseHolder now2 = leases.get(name);
      return now2 != null && now2.id().equals(candidate) && now2.expiresAtMillis() >= now;
    }
    return false;
  }

  /**
   * Leaves the competition after this candidate's writes were fenced on Kafka's side (another
   * leader took the transactional id, so this one's view of the lease was wrong: a split of the
   * Hazelcast cluster, or a pause past the lease): the lease is given up, and taken again only
   * after two lease lengths and once {@link #returnOnlyWhen} holds. Without the wait, the two sides
   * of a split would fence each other in turn.
   */
  public void standDown() {
    this.standingDownUntil = clock.getAsLong() + 2 * ttlMillis;
    release();
  }

  /**
   * What must hold for a candidate that stood down to compete again (for the scheduler: it sees
   * some node alive, so it is not the side of a split cut off from the fleet).
   */
  public void returnOnlyWhen(java.util.function.BooleanSupplier condition) {
    this.mayReturn = condition;
  }

  /**
   * Gives the lease up at once (a clean shutdown), so another candidate need not wait for it to
   * expire.
   */
  public void release() {
    LeaseHolder current = leases.get(name);
    if (current != null && current.id().equals(candidate)) {
      leases.remove(name, current);
    }
  }
}
