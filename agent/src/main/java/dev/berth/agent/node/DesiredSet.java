package dev.berth.agent.node;

import dev.berth.model.fleet.Assignment;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The node's desired containers, built from the {@link DesiredChange}s the reconcile verticle
 * receives; confined to that verticle's event loop, so it needs no locks.
 */
final class DesiredSet {
  private final Map<String, Assignment> byId = new HashMap<>();
  private boolean caughtUp;

  void apply(DesiredChange change) {
    if (change.caughtUp()) {
      caughtUp = true;
    } else if (change.assignment() == null) {
      byId.remove(change.containerId());
    } else {
      byId.put(change.containerId(), change.assignment());
    }
  }

  /** True once everything that was on the log when the agent started has been read. */
  boolean caughtUp() {
    return caughtUp;
  }

  int size() {
    return byId.size();
  }

  List<Assignment> snapshot() {
    return List.copyOf(byId.values());
  }
}
