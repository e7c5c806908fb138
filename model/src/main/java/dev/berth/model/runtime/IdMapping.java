package dev.berth.model.runtime;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.berth.model.UnknownFields;
import java.util.Map;

/** A uid or gid range mapped from the container to the host. */
public record IdMapping(
    Long containerID,
    Long hostID,
    Long size,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public IdMapping {
    extra = UnknownFields.copy(extra);
  }
}
