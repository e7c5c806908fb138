package dev.berth.chaos.experiment;

/**
 * One fault an experiment injects and later removes, and how to tell that the fleet's own view has
 * marked it.
 */
public interface Fault {
  /** What was hit (a member's name, containers...). */
  String target();

  /** How long the fault lasts before it is removed, in milliseconds. */
  long durationMillis();

  void inject() throws Exception;

  void heal() throws Exception;

  /**
   * Whether the fleet's view (the API) shows the fault now; polled from injection to removal.
   * Faults the fleet cannot see answer false throughout ({@link #detectable}).
   */
  boolean detected() throws Exception;

  /** Whether the fleet's view can mark this fault at all. */
  default boolean detectable() {
    return true;
  }
}
