package dev.berth.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.berth.model.runtime.InvalidSpecException;
import dev.berth.model.runtime.Spec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The project's one JSON mapping (runtime-spec, image-spec and fleet documents): null fields left
 * out, unknown ones kept or ignored.
 */
public final class JsonMapping {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .build();

  private JsonMapping() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Reads a config.json; a syntax error names the file, line and column. */
  public static Spec readSpec(Path configJson) throws InvalidSpecException {
    try {
      return MAPPER.readValue(Files.readAllBytes(configJson), Spec.class);
    } catch (JsonProcessingException e) {
      throw new InvalidSpecException(
          configJson + ": invalid JSON: " + e.getOriginalMessage() + locationOf(e));
    } catch (IOException e) {
      throw new InvalidSpecException(configJson + ": cannot read: " + e);
    }
  }

  public static String write(Object document) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(document);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String writeCompact(Object document) {
    try {
      return MAPPER.writeValueAsString(document);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String locationOf(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : " (line "
            + e.getLocation().getLineNr()
            + ", column "
            + e.getLocation().getColumnNr()
            + ")";
  }
}
