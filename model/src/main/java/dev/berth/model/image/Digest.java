package dev.berth.model.image;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest as image-spec defines it: {@code algorithm:encoded}, sha256 or sha512 in
 * lower-case hex.
 */
public record Digest(String algorithm, String encoded) {
  private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");
  private static final Pattern SHA512 = Pattern.compile("[a-f0-9]{128}");

  public Digest {
    if ("sha256".equals(algorithm)) {
      require(SHA256, algorithm, encoded);
    } else if ("sha512".equals(algorithm)) {
      require(SHA512, algorithm, encoded);
    } else {
      throw new IllegalArgumentException(
          "unsupported digest algorithm \"" + algorithm + "\" (sha256 or sha512)");
    }
  }

  private static void require(Pattern p, String algorithm, String encoded) {
    if (encoded == null || !p.matcher(encoded).matches()) {
      throw new IllegalArgumentException(
          "invalid "
              + algorithm
              + " digest \""
              + encoded
              + "\": expected "
              + (algorithm.equals("sha256") ? 64 : 128)
              + " lower-case hex characters");
    }
  }

  /** Parses {@code sha256:...}; a clear IllegalArgumentException names what is wrong. */
  @JsonCreator
  public static Digest parse(String text) {
    int colon = text == null ? -1 : text.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("invalid digest \"" + text + "\": expected algorithm:hex");
    }
    return new Digest(text.substring(0, colon), text.substring(colon + 1));
  }

  /** The sha256 digest of some bytes. */
  public static Digest sha256(byte[] content) {
    return new Digest("sha256", HexFormat.of().formatHex(newSha256().digest(content)));
  }

  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A fresh hasher for this digest's algorithm. */
  public MessageDigest newHasher() {
    try {
      return MessageDigest.getInstance(algorithm.equals("sha256") ? "SHA-256" : "SHA-512");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** True when the finished hasher's value is this digest. */
  public boolean matches(MessageDigest finished) {
    return HexFormat.of().formatHex(finished.digest()).equals(encoded);
  }

  @JsonValue
  @Override
  public String toString() {
    return algorithm + ":" + encoded;
  }
}
