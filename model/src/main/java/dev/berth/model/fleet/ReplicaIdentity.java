package dev.berth.model.fleet;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Whether a replica may ever run twice at once. {@code shared} (the default, as Kubernetes
 * Deployments): a lost node's replicas start elsewhere as soon as its lease runs out, while the
 * lost node may still run them. {@code unique} (singletons, stateful work, as a StatefulSet's
 * at-most-one pod per ordinal): the node stops them itself before its lease can run out, and they
 * start elsewhere only after the lease plus {@link #SAFETY_MARGIN_MILLIS}.
 */
public enum ReplicaIdentity {
  SHARED("shared"),
  UNIQUE("unique");

  /**
   * How long after a node's lease ran out its unique replicas still count as possibly running there
   * (clock skew between machines, the watchdog's poll, a kill taking effect); and how long, beyond
   * its lease, a node must hold its lease without a gap before it starts one again.
   */
  public static final long SAFETY_MARGIN_MILLIS = 2000;

  private final String wire;

  ReplicaIdentity(String wire) {
    this.wire = wire;
  }

  @JsonValue
  public String wire() {
    return wire;
  }

  @JsonCreator
  public static ReplicaIdentity of(String text) {
    for (ReplicaIdentity r : values()) {
      if (r.wire.equals(text)) {
        return r;
      }
    }
    throw new IllegalArgumentException("\"" + text + "\" is not one of shared, unique");
  }
}
