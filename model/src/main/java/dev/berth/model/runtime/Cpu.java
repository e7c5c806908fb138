package dev.berth.model.runtime;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/** CPU cgroup limits. */
public record Cpu(
    Long shares,
    Long quota,
    Long burst,
    Long period,
    Long realtimeRuntime,
    Long realtimePeriod,
    String cpus,
    String mems,
    Long idle,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public Cpu {
    extra = Extras.copy(extra);
  }
}
