package dev.berth.runtime.userns;

/** A container's ids 0..size-1 as host ids hostId..hostId+size-1 (uids and gids alike). */
public record IdRange(long hostId, long size) {
  public IdRange {
    if (hostId < 1 || size < 1 || hostId + size > 4_294_967_295L) {
      throw new IllegalArgumentException("bad id range " + hostId + "+" + size);
    }
  }

  @Override
  public String toString() {
    return hostId + "-" + (hostId + size - 1);
  }
}
