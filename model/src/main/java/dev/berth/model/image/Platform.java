package dev.berth.model.image;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

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
    extra = extra == null ? new java.util.LinkedHashMap<>() : new java.util.LinkedHashMap<>(extra);
  }
}
