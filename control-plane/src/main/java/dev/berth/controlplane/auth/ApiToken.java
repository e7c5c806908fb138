package dev.berth.controlplane.auth;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A bearer token as the fleet keeps it: its name, role and the SHA-256 of its secret (never the
 * secret itself), and when it was made.
 */
public record ApiToken(String name, String role, String sha256, long createdMillis) {
  @JsonIgnore
  public Role parsedRole() {
    return Role.parse(role);
  }
}
