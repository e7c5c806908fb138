package dev.berth.model.runtime;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.berth.model.UnknownFields;
import java.util.List;
import java.util.Map;

/** One mount in the container. */
public record Mount(
    String destination,
    String source,
    String type,
    List<String> options,
    List<IdMapping> uidMappings,
    List<IdMapping> gidMappings,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public Mount {
    extra = UnknownFields.copy(extra);
  }

  /** The same mount with {@code opts} as its options. */
  public Mount withOptions(List<String> opts) {
    return new Mount(destination, source, type, opts, uidMappings, gidMappings, extra);
  }

  /** A read-only bind mount of the file or directory {@code source} at {@code destination}. */
  public static Mount readOnlyBind(String source, String destination) {
    return new Mount(
        destination, source, "bind", List.of("rbind", "ro", "nosuid", "nodev"), null, null, null);
  }
}
