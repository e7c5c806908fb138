package dev.berth.controlplane.gitops;

import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks that a push notification comes from the forge that knows the source's webhook secret:
 * GitHub's and Gitea's HMAC-SHA256 of the body (X-Hub-Signature-256 "sha256=HEX", X-Gitea-Signature
 * HEX) or GitLab's token (X-Gitlab-Token), compared in constant time.
 */
final class WebhookSignature {
  private WebhookSignature() {}

  /** Null when {@code body} is signed with {@code secret}, else why it is refused. */
  static String refusal(MultiMap headers, byte[] body, String secret) {
    String github = headers.get("X-Hub-Signature-256");
    String gitea = headers.get("X-Gitea-Signature");
    String gitlab = headers.get("X-Gitlab-Token");
    if (github != null) {
      return github.startsWith("sha256=") && matches(github.substring(7), hmac(secret, body))
          ? null
          : "X-Hub-Signature-256 does not match the body";
    }
    if (gitea != null) {
      return matches(gitea, hmac(secret, body))
          ? null
          : "X-Gitea-Signature does not match the body";
    }
    if (gitlab != null) {
      return MessageDigest.isEqual(
              gitlab.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8))
          ? null
          : "X-Gitlab-Token is not the source's secret";
    }
    return "not signed (no X-Hub-Signature-256, X-Gitea-Signature or X-Gitlab-Token)";
  }

  private static boolean matches(String hex, byte[] expected) {
    byte[] given;
    try {
      given = HexFormat.of().parseHex(hex.trim().toLowerCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(given, expected);
  }

  static byte[] hmac(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
