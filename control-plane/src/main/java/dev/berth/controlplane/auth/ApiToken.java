package dev.berth.controlplane.auth;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A bearer token as the fleet keeps it: its name, role and the SHA-256 of its secret (never the
 * secret itself), when it was made and when it expires (0: never).
 */
public record ApiToken(
    String name, String role, String sha256, long createdMillis, long expiresMillis) {
  /** Whether the token may still be used at {@code nowMillis}. */
  public boolean validAt(long nowMillis) {
    return expiresMillis == 0 || nowMillis < expiresMillis;
  }

  @JsonIgnore
  public Role parsedRole() {
    return Role.parse(role);
  }
}
