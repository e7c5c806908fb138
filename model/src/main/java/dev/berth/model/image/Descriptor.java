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
}
