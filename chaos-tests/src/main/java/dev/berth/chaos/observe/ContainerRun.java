package dev.berth.chaos.observe;

/**
 * An interval in which a container's process really ran on a node, as the observer saw it: from the
 * first sample that found it running to the last one ({@code endMillis} -1 while it runs).
 */
public record ContainerRun(
    String node,
    String containerId,
    ReplicaIdentity identity,
    long generation,
    long startMillis,
    long endMillis) {
  public boolean open() {
    return endMillis < 0;
  }

  /** The end, or {@code now} for a run still open. */
  public long endOr(long now) {
    return open() ? now : endMillis;
  }
}
