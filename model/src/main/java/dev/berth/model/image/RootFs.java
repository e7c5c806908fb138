package dev.berth.model.image;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.model.UnknownFields;
import java.util.List;
import java.util.Map;

/** The layers of an image as uncompressed digests. */
public record RootFs(
    String type,
    @JsonProperty("diff_ids") List<Digest> diffIds,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public RootFs {
    extra = UnknownFields.copy(extra);
  }
}
