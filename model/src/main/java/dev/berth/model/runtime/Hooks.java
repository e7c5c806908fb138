package dev.berth.model.runtime;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.berth.model.UnknownFields;
import java.util.List;
import java.util.Map;

/** The lifecycle hooks, by phase. */
public record Hooks(
    List<Hook> prestart,
    List<Hook> createRuntime,
    List<Hook> createContainer,
    List<Hook> startContainer,
    List<Hook> poststart,
    List<Hook> poststop,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public Hooks {
    extra = UnknownFields.copy(extra);
  }
}
