package dev.berth.controlplane.auth;

import java.util.Locale;

/**
 * What a token may do, each role including the ones before it: read the fleet and containers' logs
 * (viewer); apply, delete and exec (operator); manage tokens (admin).
 */
public enum Role {
  VIEWER,
  OPERATOR,
  ADMIN;

  /** Whether this role may do what {@code needed} may. */
  public boolean includes(Role needed) {
    return compareTo(needed) >= 0;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role named {@code text} (viewer, operator, admin). */
  public static Role parse(String text) {
    for (Role r : values()) {
      if (r.wire().equals(text)) {
        return r;
      }
    }
    throw new IllegalArgumentException("unknown role \"" + text + "\": viewer, operator or admin");
  }
}
