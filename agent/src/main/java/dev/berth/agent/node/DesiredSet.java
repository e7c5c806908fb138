package dev.berth.agent.node;

import dev.berth.model.fleet.Assignment;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The node's desired containers as the assignment consumer has read them; read by the reconciler. */
public final class DesiredSet {
  private final Map<String, Assignment> byId = new ConcurrentHashMap<>();
  private volatile boolean caughtUp;

  /** True once everything that was on the log when the agent started has been read. */
  public boolean caughtUp() {
    return caughtUp;
  }

  void markCaughtUp() {
    caughtUp = true;
  }

  void put(String containerId, Assignment a) {
    byId.put(containerId, a);
  }

  void remove(String containerId) {
    byId.remove(containerId);
  }

  public List<Assignment> snapshot() {
    return List.copyOf(byId.values());
  }
}
