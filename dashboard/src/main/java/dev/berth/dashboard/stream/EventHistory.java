package dev.berth.dashboard.stream;

import dev.berth.model.fleet.FleetEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The fleet's recent events, oldest first: the last {@link #WINDOW_MILLIS} and at most {@link
 * #MAX_EVENTS}, so a browser that (re)connects sees the last hour. Not thread-safe: one event loop
 * owns it.
 */
public final class EventHistory {
  public static final long WINDOW_MILLIS = 3600_000;
  public static final int MAX_EVENTS = 10_000;
  private final ArrayDeque<FleetEvent> events = new ArrayDeque<>();
  private final int max;

  public EventHistory() {
    this(MAX_EVENTS);
  }

  EventHistory(int max) {
    this.max = max;
  }

  public void add(FleetEvent e) {
    events.addLast(e);
    while (events.size() > max) {
      events.removeFirst();
    }
  }

  /** The events of the window ending at {@code nowMillis}, by time. */
  public List<FleetEvent> recent(long nowMillis) {
    while (!events.isEmpty() && events.peekFirst().timeMillis() < nowMillis - WINDOW_MILLIS) {
      events.removeFirst();
    }
    List<FleetEvent> out = new ArrayList<>(events);
    out.removeIf(e -> e.timeMillis() < nowMillis - WINDOW_MILLIS);
    out.sort(Comparator.comparingLong(FleetEvent::timeMillis));
    return out;
  }
}
