package dev.berth.model.image;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.model.UnknownFields;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The platform an image in an index runs on. */
public record Platform(
    String architecture,
    String os,
    @JsonProperty("os.version") String osVersion,
    @JsonProperty("os.features") List<String> osFeatures,
    String variant,
    List<String> features,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public Platform {
    extra = UnknownFields.copy(extra);
  }

  /** A platform of just os, architecture and (optionally) variant. */
  public static Platform of(String os, String architecture, String variant) {
    return new Platform(architecture, os, null, null, variant, null, null);
  }

  /** This machine's platform, in the image-spec's words (GOARCH values: amd64, arm64, ...). */
  public static Platform host() {
    String arch = System.getProperty("os.arch");
    String oci =
        switch (arch) {
          case "amd64", "x86_64" -> "amd64";
          case "aarch64" -> "arm64";
          case "x86", "i386", "i686" -> "386";
          default -> arch;
        };
    return of("linux", oci, null);
  }

  /** Parses "os/arch" or "os/arch/variant", as `docker pull --platform` takes it. */
  public static Platform parse(String text) {
    String[] parts = text == null ? new String[0] : text.split("/", -1);
    if (parts.length < 2 || parts.length > 3 || Arrays.stream(parts).anyMatch(String::isEmpty)) {
      throw new IllegalArgumentException(
          "platform \"" + text + "\" is not os/arch or os/arch/variant");
    }
    return of(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
  }

  /**
   * Whether an image for this platform runs where {@code wanted} is asked for: os and architecture
   * must match, and the variant when one is asked for.
   */
  public boolean satisfies(Platform wanted) {
    return Objects.equals(wanted.os(), os)
        && Objects.equals(wanted.architecture(), architecture)
        && (wanted.variant() == null || wanted.variant().equals(variant));
  }

  @Override
  public String toString() {
    return os + "/" + architecture + (variant == null ? "" : "/" + variant);
  }
}
