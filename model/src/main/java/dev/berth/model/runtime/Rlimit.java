package dev.berth.model.runtime;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.berth.model.UnknownFields;
import java.util.Map;

/** One POSIX resource limit. */
public record Rlimit(
    String type, Long hard, Long soft, @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public Rlimit {
    extra = UnknownFields.copy(extra);
  }
}
