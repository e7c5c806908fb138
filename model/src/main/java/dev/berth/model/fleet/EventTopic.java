package dev.berth.model.fleet;

import dev.berth.model.JsonMapping;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * How fleet events sit on berth.events: keyed by container id (or node name), JSON values,
 * time-retained.
 */
public final class EventTopic {
  public static final String TOPIC = "berth.events";

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

  public static FleetEvent decode(byte[] value) {
    try {
      return JsonMapping.mapper().readValue(value, FleetEvent.class);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable record on " + TOPIC, e);
    }
  }
}
