package dev.berth.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.berth.model.runtime.ValidationError;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads one document a user sent (JSON or YAML) into a record strictly: unknown fields, duplicate
 * keys, coerced scalars and trailing content are refused, each problem named by its field.
 */
public final class StrictReader {
  private static final ObjectMapper JSON = strict(JsonMapper.builder().build());
  private static final ObjectMapper YAML = strict(YAMLMapper.builder().build());

  private StrictReader() {}

  private static ObjectMapper strict(ObjectMapper m) {
    m.getFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    return m.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS);
  }

  /** The strict JSON mapper (canonical forms are written with a copy of it). */
  public static ObjectMapper json() {
    return JSON;
  }

  /** Thrown with every problem found in a document, each as "field: what is wrong". */
  public static final class InvalidDocumentException extends Exception {
    private final List<ValidationError> errors;

    public InvalidDocumentException(List<ValidationError> errors) {
      super(errors.stream().map(ValidationError::toString).collect(Collectors.joining("; ")));
      this.errors = List.copyOf(errors);
    }

    public List<ValidationError> errors() {
      return errors;
    }
  }

  /** Parses one document of {@code type}; {@code yaml} selects the format. */
  public static <T> T read(byte[] body, boolean yaml, Class<T> type)
      throws InvalidDocumentException {
    if (yaml) {
      SingleYamlDocument.check(body);
    }
    T value;
    try {
      value = (yaml ? YAML : JSON).readValue(body, type);
    } catch (UnrecognizedPropertyException e) {
      throw new InvalidDocumentException(List.of(new ValidationError(path(e), "unknown field")));
    } catch (InvalidFormatException e) {
      throw new InvalidDocumentException(
          List.of(
              new ValidationError(
                  path(e),
                  "\"" + e.getValue() + "\" is not a valid " + e.getTargetType().getSimpleName())));
    } catch (JsonMappingException e) {
      throw new InvalidDocumentException(
          List.of(new ValidationError(path(e), e.getOriginalMessage())));
    } catch (IOException e) {
      throw new InvalidDocumentException(
          List.of(
              new ValidationError(
                  "(body)",
                  "not valid "
                      + (yaml ? "YAML" : "JSON")
                      + ": "
                      + e.getMessage().lines().findFirst().orElse(""))));
    }
    if (value == null) {
      throw new InvalidDocumentException(List.of(new ValidationError("(body)", "empty")));
    }
    return value;
  }

  private static String path(JsonMappingException e) {
    String p =
        e.getPath().stream()
            .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
            .collect(Collectors.joining("."))
            .replace(".[", "[");
    return p.isEmpty() ? "(body)" : p;
  }
}
