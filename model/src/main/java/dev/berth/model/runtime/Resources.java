package dev.berth.model.runtime;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/** The cgroup resource limits of the container. */
public record Resources(
    List<DeviceRule> devices,
    Memory memory,
    Cpu cpu,
    Pids pids,
    Object blockIO,
    Object hugepageLimits,
    Object network,
    Object rdma,
    Map<String, String> unified,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public Resources {
    extra = Extras.copy(extra);
  }
}
