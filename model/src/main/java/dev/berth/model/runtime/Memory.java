package dev.berth.model.runtime;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/** Memory cgroup limits, in bytes. */
public record Memory(
    Long limit,
    Long reservation,
    Long swap,
    Long kernel,
    Long kernelTCP,
    Long swappiness,
    Boolean disableOOMKiller,
    Boolean useHierarchy,
    Boolean checkBeforeUpdate,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public Memory {
    extra = Extras.copy(extra);
  }
}
