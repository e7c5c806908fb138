package dev.berth.model.runtime;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.berth.model.UnknownFields;
import java.util.List;
import java.util.Map;

/** The five Linux capability sets of the process. */
public record Capabilities(
    List<String> bounding,
    List<String> effective,
    List<String> inheritable,
    List<String> permitted,
    List<String> ambient,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public Capabilities {
    extra = UnknownFields.copy(extra);
  }
}
