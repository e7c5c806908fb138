package dev.berth.agent.node;

import dev.berth.model.fleet.Assignment;

/**
 * One change to the node's desired set, as the assignment consumer read it: a container assigned
 * (or its assignment changed), one removed (assignment null), or the mark that the log has been
 * read up to where it ended at start (caughtUp), before which the set is incomplete.
 */
record DesiredChange(String containerId, Assignment assignment, boolean caughtUp) {
  static DesiredChange assigned(Assignment a) {
    return new DesiredChange(a.containerId(), a, false);
  }

  static DesiredChange removed(String containerId) {
    return new DesiredChange(containerId, null, false);
  }

  static final DesiredChange CAUGHT_UP = new DesiredChange(null, null, true);
}
