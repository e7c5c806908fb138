package dev.berth.agent.images.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.agent.images.ImageStore;
import dev.berth.agent.images.build.BuildOptions;
import dev.berth.agent.images.build.ImageBuilder;
import dev.berth.model.JsonMapping;
import dev.berth.model.image.Descriptor;
import dev.berth.model.image.ImageReference;
import dev.berth.runtime.bundle.BusyboxRootfs;
import dev.berth.runtime.files.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OCI image layouts that skopeo and umoci, the reference tools, read and write. */
class OciLayoutTest {
  Path work;
  ImageStore store;
  ImageBuilder.Built built;

  @BeforeEach
  void buildImage() throws Exception {
    work = Files.createTempDirectory("berth-layout-");
    store = new ImageStore(work.resolve("store"));
    Path rootfs = BusyboxRootfs.create(work.resolve("rootfs"));
    built =
        new ImageBuilder(store)
            .build(rootfs, BuildOptions.of(List.of("sh")), ImageReference.parse("local/bb:1"));
  }

  @AfterEach
  void cleanUp() throws Exception {
    FileTrees.delete(work);
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
    return out;
  }

  @Test
  void anExportedLayoutIsReadBySkopeoAndUnpackedByUmoci() throws Exception {
    Path layout = work.resolve("layout");
    new OciLayout(store).export(ImageReference.parse("local/bb:1"), layout, "1.0");
    var inspect =
        JsonMapping.mapper().readTree(run("skopeo", "inspect", "--raw", "oci:" + layout + ":1.0"));
    assertEquals(built.layer().toString(), inspect.get("layers").get(0).get("digest").asText());
    Path bundle = work.resolve("umoci-bundle");
    run("umoci", "unpack", "--image", layout + ":1.0", bundle.toString());
    assertTrue(
        Files.isRegularFile(bundle.resolve("rootfs/bin/busybox")), "umoci unpacked our layer");
  }

  @Test
  void aLayoutWrittenBySkopeoImportsWithVerifiedBlobs() throws Exception {
    Path ours = work.resolve("ours");
    new OciLayout(store).export(ImageReference.parse("local/bb:1"), ours, "1.0");
    Path theirs = work.resolve("theirs");
    run("skopeo", "copy", "oci:" + ours + ":1.0", "oci:" + theirs + ":copied");
    ImageStore fresh = new ImageStore(work.resolve("fresh"));
    Descriptor imported =
        new OciLayout(fresh).importImage(theirs, "copied", ImageReference.parse("local/copied:1"));
    assertTrue(fresh.content().has(built.layer()));
    assertEquals(imported, fresh.resolve(ImageReference.parse("local/copied:1")).orElseThrow());
  }

  @Test
  void aLayoutWithATamperedBlobIsRefused() throws Exception {
    Path layout = work.resolve("layout");
    new OciLayout(store).export(ImageReference.parse("local/bb:1"), layout, "1.0");
    Path layer = layout.resolve("blobs/sha256").resolve(built.layer().encoded());
    byte[] bytes = Files.readAllBytes(layer);
    bytes[100] ^= 1;
    Files.write(layer, bytes);
    ImageStore fresh = new ImageStore(work.resolve("fresh"));
    Exception e =
        assertThrows(
            Exception.class,
            () ->
                new OciLayout(fresh)
                    .importImage(layout, "1.0", ImageReference.parse("local/bad:1")));
    assertTrue(e.getMessage().contains("does not match its digest"), e.getMessage());
    assertTrue(fresh.resolve(ImageReference.parse("local/bad:1")).isEmpty());
  }

  @Test
  void aDirectoryThatIsNotALayoutIsNamed() {
    IOException e =
        assertThrows(
            IOException.class,
            () -> new OciLayout(store).importImage(work, null, ImageReference.parse("x/y:1")));
    assertTrue(e.getMessage().contains("is not an OCI image layout"), e.getMessage());
  }
}
