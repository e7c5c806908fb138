package dev.berth.model.runtime;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.berth.model.UnknownFields;
import java.util.Map;

/** An RDMA device's limits: HCA handles and objects. */
public record RdmaLimit(
    Long hcaHandles, Long hcaObjects, @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public RdmaLimit {
    extra = UnknownFields.copy(extra);
  }
}
