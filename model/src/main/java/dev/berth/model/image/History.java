package dev.berth.model.image;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.model.UnknownFields;
import java.util.Map;

/** One step of how an image was built. */
public record History(
    String created,
    @JsonProperty("created_by") String createdBy,
    String author,
    String comment,
    @JsonProperty("empty_layer") Boolean emptyLayer,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public History {
    extra = UnknownFields.copy(extra);
  }
}
