package dev.berth.model.image;

import java.util.regex.Pattern;

/**
 * An image reference parsed as the ecosystem does (distribution's reference grammar): {@code
 * busybox} is {@code docker.io/library/busybox:latest}; {@code host:5000/team/app@sha256:...} keeps
 * its registry and digest.
 */
public record ImageReference(String registry, String repository, String tag, Digest digest) {
  public static final String DEFAULT_REGISTRY = "docker.io";
  public static final String DEFAULT_TAG = "latest";
  private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final Pattern DOMAIN =
      Pattern.compile(
          "(?:localhost|\\[[0-9a-fA-F:]+]|(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
              + "(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*)(?::[0-9]+)?");

  /** Parses a reference; a malformed one throws with what is wrong in it. */
  public static ImageReference parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("invalid image reference: empty");
    }
    String rest = text;
    Digest digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      try {
        digest = Digest.parse(rest.substring(at + 1));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "invalid image reference \"" + text + "\": " + e.getMessage());
      }
      rest = rest.substring(0, at);
    }
    String tag = null;
    int lastSlash = rest.lastIndexOf('/');
    int colon = rest.lastIndexOf(':');
    if (colon > lastSlash) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        throw new IllegalArgumentException(
            "invalid image reference \"" + text + "\": invalid tag \"" + tag + "\"");
      }
    }
    String registry = DEFAULT_REGISTRY;
    String path = rest;
    int slash = rest.indexOf('/');
    if (slash > 0) {
      String first = rest.substring(0, slash);
      if (first.contains(".")
          || first.contains(":")
          || first.equals("localhost")
          || first.startsWith("[")) {
        if (!DOMAIN.matcher(first).matches()) {
          throw new IllegalArgumentException(
              "invalid image reference \"" + text + "\": invalid registry \"" + first + "\"");
        }
        registry = first;
        path = rest.substring(slash + 1);
      }
    }
    if (path.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid image reference \"" + text + "\": no repository name");
    }
    for (String component : path.split("/", -1)) {
      if (!COMPONENT.matcher(component).matches()) {
        String why =
            component.chars().anyMatch(Character::isUpperCase)
                ? "repository name must be lowercase"
                : "invalid repository component \"" + component + "\"";
        throw new IllegalArgumentException("invalid image reference \"" + text + "\": " + why);
      }
    }
    if (registry.equals(DEFAULT_REGISTRY) && !path.contains("/")) {
      path = "library/" + path;
    }
    if (path.length() > 255) {
      throw new IllegalArgumentException(
          "invalid image reference \"" + text + "\": repository name longer than 255");
    }
    if (tag == null && digest == null) {
      tag = DEFAULT_TAG;
    }
    return new ImageReference(registry, path, tag, digest);
  }

  /** The tag or the digest a registry is asked for: the digest wins when both are given. */
  public String manifestReference() {
    return digest != null ? digest.toString() : tag;
  }

  /** The fully qualified form, for example {@code docker.io/library/busybox:latest}. */
  @Override
  public String toString() {
    return registry
        + "/"
        + repository
        + (tag != null ? ":" + tag : "")
        + (digest != null ? "@" + digest : "");
  }
}
