package dev.berth.model.runtime;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.berth.model.UnknownFields;
import java.util.Map;

/** A block device's own I/O weight. */
public record WeightDevice(
    Long major,
    Long minor,
    Integer weight,
    Integer leafWeight,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public WeightDevice {
    extra = UnknownFields.copy(extra);
  }
}
