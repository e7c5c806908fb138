package dev.berth.model.runtime;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.berth.model.UnknownFields;
import java.util.Map;

/** The size of the pseudo-terminal given to the process. */
public record ConsoleSize(
    Integer height, Integer width, @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public ConsoleSize {
    extra = UnknownFields.copy(extra);
  }
}
