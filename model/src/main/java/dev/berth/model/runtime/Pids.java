package dev.berth.model.runtime;

import dev.berth.model.UnknownFields;
import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/** The pids cgroup limit. */
public record Pids(
    Long limit,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public Pids {
    extra = UnknownFields.copy(extra);
  }
}
