package dev.berth.model.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.JsonMapping;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecJsonTest {
  private static byte[] example() throws Exception {
    try (InputStream in = SpecJsonTest.class.getResourceAsStream("/runtime-spec-example.json")) {
      return in.readAllBytes();
    }
  }

  @Test
  void theSpecsOwnExampleReadsAndWritesBackEqual() throws Exception {
    Spec spec = JsonMapping.mapper().readValue(example(), Spec.class);
    JsonNode original = JsonMapping.mapper().readTree(example());
    JsonNode written = JsonMapping.mapper().readTree(JsonMapping.write(spec));
    assertEquals(original, written);
  }

  @Test
  void theExampleIsReadIntoTypedFields() throws Exception {
    Spec spec = JsonMapping.mapper().readValue(example(), Spec.class);
    assertEquals(536870912L, spec.linux().resources().memory().limit());
    assertEquals("2-3", spec.linux().resources().cpu().cpus());
    assertEquals(32771L, spec.linux().resources().pids().limit());
    assertEquals(1000L, spec.linux().uidMappings().get(0).hostID());
    assertEquals("CAP_NET_BIND_SERVICE", spec.process().capabilities().ambient().get(0));
    assertEquals(5, spec.hooks().poststart().get(0).timeout());
  }

  @Test
  void unknownFieldsAtEveryLevelSurviveARoundTrip() throws Exception {
    String json =
        "{\"ociVersion\":\"1.2.0\",\"future\":{\"a\":1},"
            + "\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\",\"scheduler\":{\"policy\":\"SCHED_OTHER\"}},"
            + "\"root\":{\"path\":\"rootfs\",\"x-vendor\":true},"
            + "\"linux\":{\"intelRdt\":{\"closID\":\"g1\"},\"resources\":{\"memory\":{\"limit\":1,\"newKnob\":2}}}}";
    Spec spec = JsonMapping.mapper().readValue(json, Spec.class);
    assertEquals(
        JsonMapping.mapper().readTree(json),
        JsonMapping.mapper().readTree(JsonMapping.writeCompact(spec)));
  }

  @Test
  void invalidJsonNamesTheFileAndLine(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("config.json");
    Files.writeString(config, "{\n \"ociVersion\": \"1.2.0\",\n \"process\": [\n");
    InvalidSpecException e =
        assertThrows(InvalidSpecException.class, () -> JsonMapping.readSpec(config));
    assertTrue(e.getMessage().contains(config.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("line 3"), e.getMessage());
  }
}
