package dev.berth.model.image;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** An image index (or Docker manifest list): manifests by platform. */
public record ImageIndex(
    Integer schemaVersion,
    String mediaType,
    String artifactType,
    List<Descriptor> manifests,
    Descriptor subject,
    Map<String, String> annotations,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public ImageIndex {
    extra = extra == null ? new java.util.LinkedHashMap<>() : new java.util.LinkedHashMap<>(extra);
  }
}
