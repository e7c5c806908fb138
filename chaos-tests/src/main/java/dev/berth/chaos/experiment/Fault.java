package dev.berth.chaos.experiment;

/**
 * One fault an experiment injects and later removes, and how to tell that the fleet's own view has
 * marked it.
 */
public interface Fault {
  /** What was hit (a member's name, containers...). */
  String target();

  /** The one member (or thing) it acts on: no two faults of a mixed schedule hit one at once. */
  default String member() {
    return target();
  }

  /** How long the fault lasts before it is removed, in milliseconds. */
  long durationMillis();

  void inject() throws Exception;

  void heal() throws Exception;

  /**
   * Whether the fleet's view (the API) shows the fault now; polled from injection to removal.
   * Faults the fleet cannot see answer false throughout ({@link #detectable}).
   */
  boolean detected() throws Exception;

  /**
   * The nodes whose containers do not count while the fault lasts (a dead or frozen agent's keep
   * running, but the fleet must run their replicas elsewhere): recovery is measured without them.
   */
  default java.util.Set<String> lostNodes() {
    return java.util.Set.of();
  }

  /** Whether the fleet's view can mark this fault at all. */
  default boolean detectable() {
    return true;
  }
}
