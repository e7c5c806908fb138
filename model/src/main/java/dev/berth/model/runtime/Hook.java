package dev.berth.model.runtime;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.berth.model.UnknownFields;
import java.util.List;
import java.util.Map;

/** One hook: a program run with the state on its stdin. */
public record Hook(
    String path,
    List<String> args,
    List<String> env,
    Integer timeout,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public Hook {
    extra = UnknownFields.copy(extra);
  }
}
