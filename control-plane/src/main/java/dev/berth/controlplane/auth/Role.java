package dev.berth.controlplane.auth;

import java.util.Locale;

/**
 * What a token may do: read the fleet and containers' logs (viewer); also apply, delete and exec
 * (operator); also manage tokens and join nodes (admin). A join token (join) may only have a node's
 * certificate signed, as kubeadm's bootstrap tokens.
 */
public enum Role {
  VIEWER,
  OPERATOR,
  ADMIN,
  JOIN;

  /** Whether this role may do what {@code needed} may. */
  public boolean includes(Role needed) {
    if (this == JOIN || needed == JOIN) {
      return this == needed || this == ADMIN;
    }
    return compareTo(needed) >= 0;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role named {@code text} (viewer, operator, admin, join). */
  public static Role parse(String text) {
    for (Role r : values()) {
      if (r.wire().equals(text)) {
        return r;
      }
    }
    throw new IllegalArgumentException(
        "unknown role \"" + text + "\": viewer, operator, admin or join");
  }
}
