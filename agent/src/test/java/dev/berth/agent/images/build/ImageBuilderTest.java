package dev.berth.agent.images.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.agent.images.ImageStore;
import dev.berth.agent.images.unpack.TarBuilder;
import dev.berth.model.JsonMapping;
import dev.berth.model.image.Digest;
import dev.berth.model.image.ImageConfig;
import dev.berth.model.image.ImageReference;
import dev.berth.model.image.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageBuilderTest {
  @TempDir Path tmp;

  @Test
  void aTarballBecomesTheLayerWithItsDiffId() throws Exception {
    ImageStore store = new ImageStore(tmp.resolve("store"));
    byte[] tar = new TarBuilder().file("hello", "world").tar();
    byte[] gz = new TarBuilder().file("hello", "world").compressed("gzip");
    Files.write(tmp.resolve("layer.tar"), tar);
    Files.write(tmp.resolve("layer.tar.gz"), gz);
    ImageBuilder builder = new ImageBuilder(store);
    ImageBuilder.Built plain =
        builder.build(
            tmp.resolve("layer.tar"),
            BuildOptions.of(List.of("true")),
            ImageReference.parse("local/plain:1"));
    assertEquals(Digest.sha256(tar), plain.diffId());
    ImageBuilder.Built gzipped =
        builder.build(
            tmp.resolve("layer.tar.gz"),
            BuildOptions.of(List.of("true")),
            ImageReference.parse("local/gz:1"));
    assertEquals(Digest.sha256(gz), gzipped.layer(), "a gzip tarball is stored as it is");
    assertEquals(Digest.sha256(tar), gzipped.diffId());
  }

  @Test
  void oneLayerPerSourceBottomFirst() throws Exception {
    ImageStore store = new ImageStore(tmp.resolve("store"));
    Path a = Files.createDirectories(tmp.resolve("a"));
    Files.writeString(a.resolve("f"), "a");
    Path b = Files.createDirectories(tmp.resolve("b"));
    Files.writeString(b.resolve("g"), "b");
    ImageBuilder.Built built =
        new ImageBuilder(store)
            .build(
                List.of(a, b),
                BuildOptions.of(List.of("true")),
                ImageReference.parse("local/two:1"));
    Manifest m =
        JsonMapping.mapper()
            .readValue(store.content().read(built.manifest().digest()), Manifest.class);
    ImageConfig c =
        JsonMapping.mapper()
            .readValue(store.content().read(m.config().digest()), ImageConfig.class);
    assertEquals(2, m.layers().size());
    assertEquals(built.layer(), m.layers().get(1).digest());
    assertEquals(List.of(c.rootfs().diffIds().get(1)), List.of(built.diffId()));
  }

  @Test
  void aMissingSourceIsNamed() {
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                new ImageBuilder(new ImageStore(tmp.resolve("s")))
                    .build(
                        tmp.resolve("nope"),
                        BuildOptions.of(List.of("true")),
                        ImageReference.parse("x/y:1")));
    assertTrue(e.getMessage().contains("not a directory or a tarball"), e.getMessage());
  }
}
