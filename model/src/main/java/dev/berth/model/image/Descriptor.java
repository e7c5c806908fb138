package dev.berth.model.image;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.berth.model.UnknownFields;
import java.util.List;
import java.util.Map;

/** A content descriptor: what a blob is, its digest and size. */
public record Descriptor(
    String mediaType,
    Digest digest,
    Long size,
    List<String> urls,
    Map<String, String> annotations,
    Platform platform,
    String artifactType,
    String data,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public Descriptor {
    extra = UnknownFields.copy(extra);
  }

  /** A descriptor of just what it points at: its media type, digest and size. */
  public static Descriptor of(String mediaType, Digest digest, long size) {
    return new Descriptor(mediaType, digest, size, null, null, null, null, null, null);
  }
}
