package dev.berth.agent.reconcile;

import dev.berth.model.fleet.ReplicaIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.LongSupplier;

/**
 * The node's lease as its agent last renewed it, for unique replicas. After each renewal the agent
 * moves a deadline ahead (the renewal's start plus the lease, less {@code min(1 s, lease / 3)}, so
 * it falls before the fleet can see the lease run out) and writes it to a file that every unique
 * container's monitor watches (berth-init's watchdog, which kills it once the deadline passes): an
 * agent that is cut off, paused or dead stops its unique replicas without doing anything. A unique
 * replica starts only once the node has held its lease without a gap for the lease plus the safety
 * margin, by which time a move the scheduler made while the lease was out has reached the node.
 * Times are CLOCK_MONOTONIC milliseconds, as the watchdog reads them.
 */
public final class LeaseFence {
  private final Path deadlineFile;
  private final long leaseMillis;
  private final LongSupplier clock;
  private long deadline = Long.MIN_VALUE;
  private long expires = Long.MIN_VALUE; // when the fleet may see the lease run out
  private long heldSince = Long.MAX_VALUE;

  /** {@code clock}: CLOCK_MONOTONIC milliseconds, see {@link #monotonicMillis}. */
  public LeaseFence(Path deadlineFile, long leaseMillis, LongSupplier clock) {
    this.deadlineFile = deadlineFile;
    this.leaseMillis = leaseMillis;
    this.clock = clock;
  }

  /** A fence for a node that holds no lease (berth down): it starts no unique replica. */
  public static LeaseFence neverHeld(Path deadlineFile) {
    return new LeaseFence(deadlineFile, 0, LeaseFence::monotonicMillis);
  }

  /** CLOCK_MONOTONIC in milliseconds (what the JVM's nanoTime reads on Linux). */
  public static long monotonicMillis() {
    return System.nanoTime() / 1_000_000;
  }

  /** How long before the lease runs out the node stops its unique replicas. */
  public static long fenceBeforeMillis(long leaseMillis) {
    return Math.min(1000, leaseMillis / 3);
  }

  /** The file the watchdog of every unique container reads. */
  public Path deadlineFile() {
    return deadlineFile;
  }

  /** Now, on this fence's clock. */
  public long now() {
    return clock.getAsLong();
  }

  /**
   * A renewal that started at {@code startedAt} was written at {@code writtenAt}: the deadline
   * moves on and is written for the watchdogs.
   */
  public synchronized void renewed(long startedAt, long writtenAt) {
    if (writtenAt > expires) {
      heldSince = writtenAt; // the lease may have looked out in between: holding starts again
    }
    expires = Math.max(expires, startedAt + leaseMillis);
    deadline = Math.max(deadline, startedAt + leaseMillis - fenceBeforeMillis(leaseMillis));
    write(deadline);
  }

  /** Whether the node holds its lease now (its unique replicas may run). */
  public synchronized boolean held() {
    return now() < deadline;
  }

  /**
   * How much longer the node must hold its lease before it may start a unique replica: 0 when it
   * may now.
   */
  public synchronized long waitBeforeUniqueStart() {
    long now = now();
    if (now >= deadline) {
      return leaseMillis + ReplicaIdentity.SAFETY_MARGIN_MILLIS;
    }
    return Math.max(0, heldSince + leaseMillis + ReplicaIdentity.SAFETY_MARGIN_MILLIS - now);
  }

  private void write(long value) {
    Path tmp = deadlineFile.resolveSibling(deadlineFile.getFileName() + ".tmp");
    try {
      Files.writeString(tmp, Long.toString(value));
      Files.move(tmp, deadlineFile, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the lease deadline to " + deadlineFile + ": " + e.getMessage(), e);
    }
  }
}
