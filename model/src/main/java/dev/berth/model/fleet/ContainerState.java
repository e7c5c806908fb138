package dev.berth.model.fleet;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What an agent reports of a container: the words the API, events and `berth get containers` show.
 */
public enum ContainerState {
  RUNNING("running"),
  STOPPED("stopped"),
  FAILED("failed"),
  /** Its process is gone and nobody recorded how it ended (its monitor died with it). */
  UNKNOWN("unknown");

  private final String wire;

  ContainerState(String wire) {
    this.wire = wire;
  }

  /** The lower-case word used in JSON, events and metrics. */
  @JsonValue
  public String wire() {
    return wire;
  }

  @JsonCreator
  public static ContainerState of(String wire) {
    for (ContainerState s : values()) {
      if (s.wire.equals(wire)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown container state \"" + wire + "\"");
  }
}
