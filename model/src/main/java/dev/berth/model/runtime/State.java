package dev.berth.model.runtime;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.berth.model.UnknownFields;
import java.util.Map;

/** The runtime-spec state of a container, as the state command prints it. */
public record State(
    String ociVersion,
    String id,
    String status,
    Integer pid,
    String bundle,
    Map<String, String> annotations,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public State {
    extra = UnknownFields.copy(extra);
  }
}
