package dev.berth.controlplane.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Token secrets: 256 random bits behind a "berth_" prefix (so secret scanners can spot a leaked
 * one), kept only as their SHA-256.
 */
public final class TokenSecrets {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String PREFIX = "berth_";

  private TokenSecrets() {}

  public static String newSecret() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  public static String sha256(String secret) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether {@code text} has the shape of a secret (a cheap check before hashing anything). */
  public static boolean wellFormed(String text) {
    return text.length() == PREFIX.length() + 43
        && text.startsWith(PREFIX)
        && text.chars()
            .skip(PREFIX.length())
            .allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_');
  }
}
