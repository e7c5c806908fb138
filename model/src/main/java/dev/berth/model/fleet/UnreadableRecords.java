package dev.berth.model.fleet;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * What a follower of a topic does with a record it cannot read: says which one and why, counts it,
 * and goes on. One bad record (a bug, a tool that wrote the wrong bytes, an attacker with write
 * access) must never stop a follower or a start.
 */
public final class UnreadableRecords {
  private static final Logger LOG = Logger.getLogger(UnreadableRecords.class.getName());

  /** What is said of a record in the fleet's events: where it is and why, not what it holds. */
  static final int MAX_MESSAGE = 512;

  private final String topic;
  private final String reporter;
  private final Consumer<FleetEvent> report;
  private final AtomicLong count = new AtomicLong();

  /** Skips and logs, without telling the fleet (tests, tools). */
  public UnreadableRecords(String topic) {
    this(topic, null, e -> {});
  }

  /**
   * Skips, logs, and hands {@code report} an event of kind "unreadable-record" from {@code
   * reporter} (a node's name or a control plane's identity) for berth.events, so the fleet's
   * operators see it and not only this process's log.
   */
  public UnreadableRecords(String topic, String reporter, Consumer<FleetEvent> report) {
    this.topic = topic;
    this.reporter = reporter;
    this.report = report;
  }

  /**
   * Notes that the record at {@code partition}/{@code offset} with {@code key} failed as {@code e}.
   */
  public void skipped(int partition, long offset, String key, RuntimeException e) {
    skipped(topic, partition, offset, key, e);
  }

  /** The same for a follower of several topics, naming the record's {@code recordTopic}. */
  public void skipped(
      String recordTopic, int partition, long offset, String key, RuntimeException e) {
    count.incrementAndGet();
    String what =
        recordTopic
            + " partition "
            + partition
            + " offset "
            + offset
            + " (key "
            + key
            + "): skipped, cannot be read: "
            + e.getMessage();
    LOG.warning(what);
    if (reporter != null) {
      try {
        report.accept(
            new FleetEvent(
                System.currentTimeMillis(),
                "unreadable-record",
                reporter,
                null,
                null,
                0,
                "skipped",
                null,
                0,
                what.length() > MAX_MESSAGE ? what.substring(0, MAX_MESSAGE) + "..." : what));
      } catch (RuntimeException failed) {
        LOG.warning("cannot report the skipped record on the fleet's events: " + failed);
      }
    }
  }

  /** How many records were skipped since this follower started. */
  public long count() {
    return count.get();
  }
}
