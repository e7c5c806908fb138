package dev.berth.model.runtime;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.berth.model.UnknownFields;
import java.util.Map;

/** A network interface's net_prio priority. */
public record NetworkPriority(
    String name, Long priority, @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public NetworkPriority {
    extra = UnknownFields.copy(extra);
  }
}
