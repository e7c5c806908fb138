package dev.berth.model.runtime;

import dev.berth.model.UnknownFields;
import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/** The root filesystem of the container. */
public record Root(
    String path,
    Boolean readonly,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public Root {
    extra = UnknownFields.copy(extra);
  }
}
