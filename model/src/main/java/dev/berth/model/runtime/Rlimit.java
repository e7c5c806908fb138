package dev.berth.model.runtime;

import dev.berth.model.UnknownFields;
import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/** One POSIX resource limit. */
public record Rlimit(
    String type,
    Long hard,
    Long soft,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public Rlimit {
    extra = UnknownFields.copy(extra);
  }
}
