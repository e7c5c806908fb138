package dev.berth.model.runtime;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.berth.model.UnknownFields;
import java.util.Map;

/** A namespace to create, or to join when path is set. */
public record LinuxNamespace(
    String type, String path, @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public LinuxNamespace {
    extra = UnknownFields.copy(extra);
  }
}
