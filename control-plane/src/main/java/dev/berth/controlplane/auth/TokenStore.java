package dev.berth.controlplane.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.controlplane.kafka.CompactedTopicView;
import dev.berth.model.JsonMapping;
import dev.berth.model.fleet.KafkaAccess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The fleet's API tokens on the compacted topic berth.tokens (key: the token's name, value: {@link
 * ApiToken}, tombstone: revoked), so every control plane accepts the same tokens and a revoke
 * reaches all of them within a poll. Writes block (call them from a worker); {@link #authenticate}
 * reads only memory.
 */
public final class TokenStore implements AutoCloseable {
  public static final String TOPIC = "berth.tokens";

  /** Tokens are for people and pipelines, not per request. */
  public static final int MAX_TOKENS = 1000;

  /** The token `berth up` and each control plane's credentials directory hold: never revoked. */
  public static final String BOOTSTRAP_NAME = "admin";

  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final ObjectMapper JSON = JsonMapping.mapper();

  private final CompactedTopicView<ApiToken> view;

  private TokenStore(CompactedTopicView<ApiToken> view) {
    this.view = view;
  }

  public static TokenStore open(KafkaAccess kafka) {
    return new TokenStore(CompactedTopicView.open(kafka, TOPIC, TokenStore::decode));
  }

  private static ApiToken decode(byte[] value) {
    try {
      ApiToken t = JSON.readValue(value, ApiToken.class);
      t.parsedRole(); // an unknown role makes the record unreadable, not a token without a role
      if (t.sha256() == null || !t.sha256().matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException("token " + t.name() + " has no SHA-256");
      }
      return t;
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable record on " + TOPIC, e);
    }
  }

  /**
   * A new token named {@code name} with {@code role}; returns its secret, which is shown once and
   * never stored.
   */
  public synchronized String create(String name, Role role) throws Conflict {
    return create(name, role, 0);
  }

  /**
   * A new token named {@code name} with {@code role} that expires after {@code ttlMillis} (0:
   * never); returns its secret, shown once and never stored.
   */
  public synchronized String create(String name, Role role, long ttlMillis) throws Conflict {
    checkName(name);
    if (view.get(name).isPresent()) {
      throw new Conflict("a token named \"" + name + "\" exists: revoke it first");
    }
    if (view.size() >= MAX_TOKENS) {
      throw new Conflict("the fleet has " + MAX_TOKENS + " tokens, its limit: revoke some first");
    }
    if (ttlMillis < 0) {
      throw new IllegalArgumentException("a token's lifetime cannot be negative");
    }
    String secret = TokenSecrets.newSecret();
    long now = System.currentTimeMillis();
    put(
        new ApiToken(
            name,
            role.wire(),
            TokenSecrets.sha256(secret),
            now,
            ttlMillis == 0 ? 0 : now + ttlMillis));
    return secret;
  }

  /**
   * Makes {@code secret} the token named {@code name} with {@code role} unless it is already (a
   * control plane's bootstrap token, read from its credentials directory at every start).
   */
  public synchronized void ensure(String name, Role role, String secret) {
    checkName(name);
    String hash = TokenSecrets.sha256(secret);
    Optional<ApiToken> current = view.get(name);
    if (current.isEmpty()
        || !current.get().sha256().equals(hash)
        || !current.get().role().equals(role.wire())) {
      put(new ApiToken(name, role.wire(), hash, System.currentTimeMillis(), 0));
    }
  }

  /** Revokes the token named {@code name}; false when there is none. */
  public synchronized boolean revoke(String name) throws Conflict {
    if (BOOTSTRAP_NAME.equals(name)) {
      throw new Conflict(
          "\"admin\" is the fleet's bootstrap token, kept in its credentials directory: create"
              + " another admin token, then replace the file's token and restart the control plane");
    }
    if (view.get(name).isEmpty()) {
      return false;
    }
    view.write(name, null);
    return true;
  }

  public List<ApiToken> list() {
    return view.values().stream().sorted(Comparator.comparing(ApiToken::name)).toList();
  }

  /**
   * The token whose secret is {@code secret}, if it is one and has not expired (memory only: no
   * I/O).
   */
  public Optional<ApiToken> authenticate(String secret) {
    if (secret == null || !TokenSecrets.wellFormed(secret)) {
      return Optional.empty();
    }
    String hash = TokenSecrets.sha256(secret);
    long now = System.currentTimeMillis();
    return view.values().stream()
        .filter(t -> t.sha256().equals(hash) && t.validAt(now))
        .findFirst();
  }

  private void put(ApiToken t) {
    try {
      view.write(t.name(), JSON.writeValueAsBytes(t));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "token name \""
              + name
              + "\" is not a DNS label (lower-case letters, digits and '-', at most 63)");
    }
  }

  @Override
  public void close() {
    view.close();
  }

  /** The token exists already, or the fleet has as many as it may. */
  public static final class Conflict extends Exception {
    Conflict(String message) {
      super(message);
    }
  }
}
