package dev.berth.model.runtime;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.berth.model.UnknownFields;
import java.util.Map;

/** A device node created in the container. */
public record LinuxDevice(
    String path,
    String type,
    Long major,
    Long minor,
    Integer fileMode,
    Long uid,
    Long gid,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public LinuxDevice {
    extra = UnknownFields.copy(extra);
  }
}
