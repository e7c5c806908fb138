package dev.berth.model.image;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.berth.model.UnknownFields;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An image index (or Docker manifest list): manifests by platform. */
public record ImageIndex(
    Integer schemaVersion,
    String mediaType,
    String artifactType,
    List<Descriptor> manifests,
    Descriptor subject,
    Map<String, String> annotations,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public ImageIndex {
    extra = UnknownFields.copy(extra);
  }

  /**
   * The first manifest for {@code wanted} (see {@link Platform#satisfies}), as containerd picks it.
   */
  public Optional<Descriptor> manifestFor(Platform wanted) {
    if (manifests == null) {
      return Optional.empty();
    }
    return manifests.stream()
        .filter(d -> d.platform() != null && d.platform().satisfies(wanted))
        .findFirst();
  }
}
