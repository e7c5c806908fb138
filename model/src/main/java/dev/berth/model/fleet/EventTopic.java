package dev.berth.model.fleet;

import dev.berth.model.JsonMapping;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * How fleet events sit in Kafka: the control planes write berth.events, each node its own
 * berth.events.NODE (Kafka's ACLs are per topic, so a node can write its own events and no one
 * else's); keyed by container id (or node name), JSON values, time-retained.
 */
public final class EventTopic {
  public static final String TOPIC = "berth.events";

  /** Events are kept a day. */
  public static final long RETENTION_MILLIS = 24L * 3600 * 1000;

  /** Every node's events topic starts with this. */
  public static final String NODE_PREFIX = TOPIC + ".";

  private EventTopic() {}

  public static String key(FleetEvent e) {
    return e.containerId() != null ? e.containerId() : e.node();
  }

  public static byte[] encode(FleetEvent e) {
    try {
      return JsonMapping.mapper().writeValueAsBytes(e);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /** Node {@code node}'s events topic (one partition). */
  public static String nodeTopic(String node) {
    AssignmentTopic.topicOf(node); // the same names are valid
    return NODE_PREFIX + node;
  }

  /** Whether {@code topic} holds fleet events (the control planes' or a node's). */
  public static boolean isEventTopic(String topic) {
    return TOPIC.equals(topic) || (topic != null && topic.startsWith(NODE_PREFIX));
  }

  /**
   * An event read from {@code topic}; one on a node's topic must be about that node, since a node
   * can write there and nowhere else: an event naming another node is refused as forged.
   */
  public static FleetEvent decodeFrom(String topic, byte[] value) {
    FleetEvent e = decode(value);
    if (topic.startsWith(NODE_PREFIX)) {
      String node = topic.substring(NODE_PREFIX.length());
      if (!node.equals(e.node())) {
        throw new IllegalArgumentException(
            "event on " + topic + " names node \"" + e.node() + "\": refused as forged");
      }
    }
    return e;
  }

  public static FleetEvent decode(byte[] value) {
    try {
      return JsonMapping.mapper().readValue(value, FleetEvent.class);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable record on " + TOPIC, e);
    }
  }
}
