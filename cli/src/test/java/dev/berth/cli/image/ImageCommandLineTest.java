package dev.berth.cli.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.cli.BerthCli;
import dev.berth.embedded.LoopbackRegistry;
import dev.berth.model.JsonMapping;
import dev.berth.runtime.bundle.BusyboxRootfs;
import dev.berth.runtime.files.FileTrees;
import dev.berth.testing.InProcessCli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** `berth image ...` as a user runs it, against a real registry on loopback. */
class ImageCommandLineTest {
  private static InProcessCli.Output berth(String... args) {
    return BerthCli.run(args);
  }

  @Test
  void buildPushRemovePullInspectExportImportAndPrune() throws Exception {
    Path work = Files.createTempDirectory("berth-image-cli-");
    try (LoopbackRegistry registry = new LoopbackRegistry()) {
      String store = work.resolve("store").toString();
      Path rootfs = BusyboxRootfs.create(work.resolve("rootfs"));
      String name = registry.host() + "/cli/busybox:1";
      InProcessCli.Output built =
          berth(
              "image",
              "build",
              "--store",
              store,
              rootfs.toString(),
              "-t",
              name,
              "--cmd",
              "sh,-c,echo hi",
              "-e",
              "A=1",
              "--expose",
              "80");
      assertEquals(0, built.exit(), built.err());
      InProcessCli.Output pushed = berth("image", "push", "--store", store, name);
      assertEquals(0, pushed.exit(), pushed.err());
      assertTrue(pushed.out().contains("2 uploaded"), pushed.out());
      assertTrue(
          pushed.out().contains("[" + "=".repeat(30) + "]"),
          "a finished bar per blob: " + pushed.out());

      String other = work.resolve("other").toString();
      InProcessCli.Output pulled = berth("image", "pull", "--store", other, name);
      assertEquals(0, pulled.exit(), pulled.err());
      assertTrue(berth("image", "ls", "--store", other).out().contains(name), "listed after pull");
      var inspect =
          JsonMapping.mapper().readTree(berth("image", "inspect", "--store", other, name).out());
      assertEquals("echo hi", inspect.get("config").get("config").get("Cmd").get(2).asText());
      assertTrue(inspect.get("config").get("config").get("ExposedPorts").has("80/tcp"));

      Path layout = work.resolve("layout");
      assertEquals(0, berth("image", "export", "--store", other, name, layout.toString()).exit());
      String third = work.resolve("third").toString();
      InProcessCli.Output imported =
          berth(
              "image",
              "import",
              "--store",
              third,
              layout.toString(),
              "local/imported:1",
              "--ref-name",
              "1");
      assertEquals(0, imported.exit(), imported.err());

      assertEquals(0, berth("image", "rm", "--store", other, name).exit());
      InProcessCli.Output pruned = berth("image", "prune", "--store", other);
      assertTrue(
          pruned.out().contains("removed 3 blobs and 0 abandoned partial downloads, kept 0 blobs"),
          pruned.out());
      assertFalse(berth("image", "ls", "--store", other).out().contains(name));

      InProcessCli.Output bad = berth("image", "pull", "--store", other, "Not/Valid");
      assertEquals(1, bad.exit());
      assertTrue(bad.err().contains("repository name must be lowercase"), bad.err());
      InProcessCli.Output unknown =
          berth("image", "pull", "--store", other, registry.host() + "/cli/missing:1");
      assertEquals(1, unknown.exit());
      assertTrue(unknown.err().contains("HTTP 404"), unknown.err());
    } finally {
      FileTrees.delete(work);
    }
  }
}
