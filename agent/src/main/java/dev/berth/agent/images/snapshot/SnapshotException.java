package dev.berth.agent.images.snapshot;

/** A rootfs that could not be made or removed, with the layer or container to blame. */
public class SnapshotException extends Exception {
  public SnapshotException(String message) {
    super(message);
  }
}
