package dev.berth.model.runtime;

import dev.berth.model.JsonMapping;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The config.json `spec` writes: the same defaults as `runc spec` (namespaces, mounts, masked
 * paths, caps).
 */
public final class DefaultSpec {
  private DefaultSpec() {}

  /** The default config as JSON text. */
  public static String json() {
    try (InputStream in = DefaultSpec.class.getResourceAsStream("default-config.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Spec create() {
    try {
      return JsonMapping.mapper().readValue(json(), Spec.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
