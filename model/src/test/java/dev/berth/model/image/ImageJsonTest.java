package dev.berth.model.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.model.JsonMapping;
import org.junit.jupiter.api.Test;

class ImageJsonTest {
  private static final String MANIFEST =
      """
      {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
       "config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":7023,
                 "digest":"sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7"},
       "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","size":32654,
                  "digest":"sha256:9834876dcfb05cb167a5c24953eba58c4ac89b1adf57f28f2f9d09af107ee8f0"}],
       "annotations":{"com.example.key1":"value1"},"x-future":[1,2]}""";

  @Test
  void aManifestReadsIntoTypedFieldsAndWritesBackEqual() throws Exception {
    Manifest m = JsonMapping.mapper().readValue(MANIFEST, Manifest.class);
    assertEquals(2, m.schemaVersion());
    assertEquals(32654L, m.layers().get(0).size());
    assertEquals("sha256", m.config().digest().algorithm());
    assertEquals(
        JsonMapping.mapper().readTree(MANIFEST),
        JsonMapping.mapper().readTree(JsonMapping.writeCompact(m)));
  }

  @Test
  void anImageConfigUsesTheSpecsFieldNames() throws Exception {
    String json =
        "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"User\":\"1000:1000\","
            + "\"Env\":[\"PATH=/bin\"],\"Entrypoint\":[\"/bin/sh\"],\"Cmd\":[\"-c\",\"echo\"],\"WorkingDir\":\"/w\","
            + "\"ExposedPorts\":{\"80/tcp\":{}},\"Labels\":{\"a\":\"b\"}},"
            + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:"
            + "b".repeat(64)
            + "\"]}}";
    ImageConfig c = JsonMapping.mapper().readValue(json, ImageConfig.class);
    assertEquals("1000:1000", c.config().user());
    assertEquals("/w", c.config().workingDir());
    assertEquals("sha256:" + "b".repeat(64), c.rootfs().diffIds().get(0).toString());
    assertEquals(
        JsonMapping.mapper().readTree(json),
        JsonMapping.mapper().readTree(JsonMapping.writeCompact(c)));
  }

  @Test
  void aDigestIsCheckedWhenRead() {
    Exception e =
        assertThrows(
            Exception.class,
            () ->
                JsonMapping.mapper()
                    .readValue(
                        "{\"mediaType\":\"x\",\"digest\":\"sha256:123\",\"size\":1}",
                        Descriptor.class));
    assertEquals(true, e.getMessage().contains("invalid sha256 digest \"123\""), e.getMessage());
  }

  @Test
  void digestsOfContentAreComputed() {
    assertEquals(
        "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
        Digest.sha256("hello".getBytes()).toString());
  }
}
