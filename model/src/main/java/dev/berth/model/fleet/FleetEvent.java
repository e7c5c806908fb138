package dev.berth.model.fleet;

/**
 * A change in the fleet as it happened, on berth.events: a container's state changed on a node
 * (kind "container"; state "running", "stopped", "failed" or "removed"), or a node was lost or came
 * back (kind "node"), or someone ran a command in a container or read its logs through the API
 * (kind "audit"; state "exec" or "logs", actor the name of the token that asked, message what was
 * run).
 */
public record FleetEvent(
    long timeMillis,
    String kind,
    String node,
    String containerId,
    String workload,
    long generation,
    String state,
    Integer exitCode,
    int restarts,
    String message,
    String actor) {

  /** An event nobody in particular caused (the fleet's own doing). */
  public FleetEvent(
      long timeMillis,
      String kind,
      String node,
      String containerId,
      String workload,
      long generation,
      String state,
      Integer exitCode,
      int restarts,
      String message) {
    this(
        timeMillis,
        kind,
        node,
        containerId,
        workload,
        generation,
        state,
        exitCode,
        restarts,
        message,
        null);
  }

  public static FleetEvent of(ContainerReport r, long timeMillis) {
    return new FleetEvent(
        timeMillis,
        "container",
        r.node(),
        r.containerId(),
        r.workload(),
        r.generation(),
        r.state().wire(),
        r.exitCode(),
        r.restarts(),
        r.message());
  }
}
