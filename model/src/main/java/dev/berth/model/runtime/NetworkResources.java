package dev.berth.model.runtime;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.berth.model.UnknownFields;
import java.util.List;
import java.util.Map;

/** linux.resources.network: the net_cls class id and net_prio priorities (cgroup v1 only). */
public record NetworkResources(
    Long classID,
    List<NetworkPriority> priorities,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public NetworkResources {
    extra = UnknownFields.copy(extra);
  }
}
