package dev.berth.model.runtime;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.berth.model.UnknownFields;
import java.util.Map;

/** The pids cgroup limit. */
public record Pids(Long limit, @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public Pids {
    extra = UnknownFields.copy(extra);
  }
}
