package dev.berth.cli.runc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import dev.berth.model.JsonMapping;
import dev.berth.model.runtime.State;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * `berth-runc state`'s document, written with Jackson's streaming generator as the mapper would
 * write it (pretty, nulls left out, extra fields last): a one-shot command does not pay for the
 * mapper's start-up to print six fields.
 */
final class StateOutput {
  private static final JsonFactory JSON = new JsonFactory();

  private StateOutput() {}

  static String of(State s) {
    for (Object v : s.extra().values()) {
      if (!(v == null || v instanceof String || v instanceof Number || v instanceof Boolean)) {
        return JsonMapping.write(s); // a nested extra field: the mapper knows how
      }
    }
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.setPrettyPrinter(new DefaultPrettyPrinter());
      g.writeStartObject();
      field(g, "ociVersion", s.ociVersion());
      field(g, "id", s.id());
      field(g, "status", s.status());
      field(g, "pid", s.pid());
      field(g, "bundle", s.bundle());
      if (s.annotations() != null) {
        g.writeObjectFieldStart("annotations");
        for (Map.Entry<String, String> a : s.annotations().entrySet()) {
          field(g, a.getKey(), a.getValue());
        }
        g.writeEndObject();
      }
      for (Map.Entry<String, Object> e : s.extra().entrySet()) {
        field(g, e.getKey(), e.getValue());
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void field(JsonGenerator g, String name, Object value) throws IOException {
    if (value == null) {
      return;
    }
    g.writeFieldName(name);
    if (value instanceof String str) {
      g.writeString(str);
    } else if (value instanceof Integer i) {
      g.writeNumber(i);
    } else if (value instanceof Long l) {
      g.writeNumber(l);
    } else if (value instanceof Number n) {
      g.writeNumber(n.toString());
    } else {
      g.writeBoolean((Boolean) value);
    }
  }
}
