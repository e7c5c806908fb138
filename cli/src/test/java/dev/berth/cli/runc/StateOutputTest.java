package dev.berth.cli.runc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.model.JsonMapping;
import dev.berth.model.runtime.State;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** `berth-runc state` prints, through its streaming writer, exactly what the mapper would. */
class StateOutputTest {
  @Test
  void theStreamedDocumentIsTheMappersByteForByte() {
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("rootfs", "/b/rootfs");
    extra.put("created", "2026-12-07T00:00:00Z");
    extra.put("owner", "");
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put("org.example/quote", "a \"quoted\" \\ value\n");
    annotations.put("ünïcode", "✓");
    for (State s :
        List.of(
            new State("1.2.0", "c1", "running", 42, "/b", annotations, extra),
            new State("1.2.0", "c2", "stopped", 0, "/b", null, extra),
            new State("1.2.0", "c3", "creating", null, null, Map.of(), Map.of()))) {
      assertEquals(JsonMapping.write(s), StateOutput.of(s));
    }
    State nested =
        new State("1.2.0", "c4", "running", 1, "/b", null, Map.of("x", Map.of("y", List.of(1))));
    assertEquals(JsonMapping.write(nested), StateOutput.of(nested));
  }
}
