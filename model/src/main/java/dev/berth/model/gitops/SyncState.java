package dev.berth.model.gitops;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Whether the fleet matches a source (or one workload matches its manifest), as Argo CD says. */
public enum SyncState {
  SYNCED("Synced"),
  OUT_OF_SYNC("OutOfSync"),
  FAILED("Failed"),
  /** Not fetched yet. */
  UNKNOWN("Unknown");

  private final String wire;

  SyncState(String wire) {
    this.wire = wire;
  }

  @JsonValue
  public String wire() {
    return wire;
  }

  @JsonCreator
  public static SyncState of(String wire) {
    for (SyncState s : values()) {
      if (s.wire.equals(wire)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown sync state \"" + wire + "\"");
  }
}
