package dev.berth.model.image;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.model.UnknownFields;
import java.util.List;
import java.util.Map;

/** The image configuration: defaults for the container and the layers' diff ids. */
public record ImageConfig(
    String created,
    String author,
    String architecture,
    String os,
    @JsonProperty("os.version") String osVersion,
    String variant,
    ContainerConfig config,
    RootFs rootfs,
    List<History> history,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public ImageConfig {
    extra = UnknownFields.copy(extra);
  }
}
