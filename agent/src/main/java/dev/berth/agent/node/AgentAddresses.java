package dev.berth.agent.node;

/**
 * The event-bus addresses an agent's verticles talk on, one set per node: agents that share a
 * Vert.x (tests, simulations) must not hear each other.
 */
final class AgentAddresses {
  private AgentAddresses() {}

  /** {@link DesiredChange}s, from the assignment consumer to the reconciler. */
  static String desired(String node) {
    return "berth.agent." + node + ".desired";
  }

  /**
   * {@link NodeReports} after every reconcile pass, to the status, events and metrics verticles.
   */
  static String reports(String node) {
    return "berth.agent." + node + ".reports";
  }

  /** {@link dev.berth.model.fleet.FleetEvent}s other verticles want on berth.events. */
  static String events(String node) {
    return "berth.agent." + node + ".events";
  }
}
