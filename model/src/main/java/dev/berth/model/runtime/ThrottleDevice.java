package dev.berth.model.runtime;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.berth.model.UnknownFields;
import java.util.Map;

/** A block device's I/O throttle: bytes or operations per second. */
public record ThrottleDevice(
    Long major, Long minor, Long rate, @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public ThrottleDevice {
    extra = UnknownFields.copy(extra);
  }
}
