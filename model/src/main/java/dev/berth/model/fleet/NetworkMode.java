package dev.berth.model.fleet;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How a workload's containers are networked: the node's network, only a loopback, or the host's.
 */
public enum NetworkMode {
  DEFAULT("default"),
  NONE("none"),
  HOST("host");

  private final String wire;

  NetworkMode(String wire) {
    this.wire = wire;
  }

  @JsonValue
  public String wire() {
    return wire;
  }

  @JsonCreator
  public static NetworkMode of(String text) {
    for (NetworkMode m : values()) {
      if (m.wire.equals(text)) {
        return m;
      }
    }
    throw new IllegalArgumentException("\"" + text + "\" is not one of default, none, host");
  }
}
