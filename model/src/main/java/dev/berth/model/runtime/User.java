package dev.berth.model.runtime;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.berth.model.UnknownFields;
import java.util.List;
import java.util.Map;

/** The user the process runs as. */
public record User(
    Long uid,
    Long gid,
    Long umask,
    List<Long> additionalGids,
    String username,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public User {
    extra = UnknownFields.copy(extra);
  }
}
