package dev.berth.model.fleet;

import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * What a follower of a topic does with a record it cannot read: says which one and why, counts it,
 * and goes on. One bad record (a bug, a tool that wrote the wrong bytes, an attacker with write
 * access) must never stop a follower or a start.
 */
public final class UnreadableRecords {
  private static final Logger LOG = Logger.getLogger(UnreadableRecords.class.getName());

  private final String topic;
  private final AtomicLong count = new AtomicLong();

  public UnreadableRecords(String topic) {
    this.topic = topic;
  }

  /**
   * Notes that the record at {@code partition}/{@code offset} with {@code key} failed as {@code e}.
   */
  public void skipped(int partition, long offset, String key, RuntimeException e) {
    count.incrementAndGet();
    LOG.warning(
        topic
            + " partition "
            + partition
            + " offset "
            + offset
            + " (key "
            + key
            + "): skipped, cannot be read: "
            + e.getMessage());
  }

  /** How many records were skipped since this follower started. */
  public long count() {
    return count.get();
  }
}
