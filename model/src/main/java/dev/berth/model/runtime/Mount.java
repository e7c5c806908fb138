package dev.berth.model.runtime;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.berth.model.UnknownFields;
import java.util.List;
import java.util.Map;

/** One mount in the container. */
public record Mount(
    String destination,
    String source,
    String type,
    List<String> options,
    List<IdMapping> uidMappings,
    List<IdMapping> gidMappings,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public Mount {
    extra = UnknownFields.copy(extra);
  }
}
