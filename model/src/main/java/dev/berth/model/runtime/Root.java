package dev.berth.model.runtime;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.berth.model.UnknownFields;
import java.util.Map;

/** The root filesystem of the container. */
public record Root(
    String path, Boolean readonly, @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public Root {
    extra = UnknownFields.copy(extra);
  }
}
