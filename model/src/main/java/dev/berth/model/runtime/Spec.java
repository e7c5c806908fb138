package dev.berth.model.runtime;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/** The runtime-spec config.json of a bundle. */
public record Spec(
    String ociVersion,
    ContainerProcess process,
    Root root,
    String hostname,
    String domainname,
    List<Mount> mounts,
    Hooks hooks,
    Map<String, String> annotations,
    Linux linux,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public Spec {
    extra = Extras.copy(extra);
  }
}
