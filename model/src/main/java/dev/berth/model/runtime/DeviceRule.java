package dev.berth.model.runtime;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.berth.model.UnknownFields;
import java.util.Map;

/** A device cgroup allow or deny rule. */
public record DeviceRule(
    Boolean allow,
    String type,
    Long major,
    Long minor,
    String access,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public DeviceRule {
    extra = UnknownFields.copy(extra);
  }
}
