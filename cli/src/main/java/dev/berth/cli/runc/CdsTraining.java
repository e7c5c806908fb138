package dev.berth.cli.runc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.agent.images.ImageStore;
import dev.berth.agent.images.build.BuildOptions;
import dev.berth.agent.images.build.ImageBuilder;
import dev.berth.cli.BerthMain;
import dev.berth.model.JsonMapping;
import dev.berth.model.image.ImageReference;
import dev.berth.runtime.bundle.BusyboxRootfs;
import dev.berth.runtime.files.FileTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The class-data-sharing training run: one real lifecycle through the runc command line, so the
 * archive holds every class the common commands load. Run once by bin/lib/launcher.sh with
 * -XX:ArchiveClassesAtExit.
 */
public final class CdsTraining {
  private CdsTraining() {}

  public static void main(String[] args) throws Exception {
    Path work = Files.createTempDirectory("berth-cds-");
    try {
      Path bundle = work.resolve("bundle");
      BusyboxRootfs.create(bundle.resolve("rootfs"));
      String root = work.resolve("state").toString();
      RuncMain.execute("--root", root, "spec", "--bundle", bundle.toString());
      ObjectNode config =
          (ObjectNode) JsonMapping.mapper().readTree(bundle.resolve("config.json").toFile());
      ((ObjectNode) config.get("process")).put("terminal", false);
      ((ArrayNode) ((ObjectNode) config.get("process")).putArray("args")).add("/bin/true");
      Files.writeString(bundle.resolve("config.json"), JsonMapping.write(config));
      RuncMain.execute("--root", root, "run", "-b", bundle.toString(), "train-run");
      RuncMain.execute("--root", root, "create", "-b", bundle.toString(), "train");
      RuncMain.execute("--root", root, "state", "train");
      RuncMain.execute("--root", root, "list");
      RuncMain.execute("--root", root, "start", "train");
      RuncMain.execute("--root", root, "kill", "train", "KILL");
      RuncMain.execute("--root", root, "delete", "--force", "train");
      RuncMain.execute("--root", root, "state", "missing");
      RuncMain.execute("features");
      // The local commands (berth run, ps, logs, rm) on an image of the same rootfs.
      String[] where = {
        "--root", work.resolve("local").toString(),
        "--runroot", work.resolve("local-run").toString(),
        "--store", work.resolve("images").toString()
      };
      new ImageBuilder(new ImageStore(work.resolve("images")))
          .build(
              bundle.resolve("rootfs"),
              BuildOptions.of(List.of("true")),
              ImageReference.parse("local/train:1"));
      BerthMain.execute(
          concat(
              new String[] {"run", "--name", "train", "--network", "none"},
              where,
              "local/train:1"));
      BerthMain.execute(concat(new String[] {"ps", "-a"}, where));
      BerthMain.execute(concat(new String[] {"logs"}, where, "train"));
      BerthMain.execute(concat(new String[] {"rm"}, where, "train"));
    } finally {
      FileTrees.delete(work);
    }
  }

  private static String[] concat(String[] head, String[] middle, String... tail) {
    List<String> all = new java.util.ArrayList<>(List.of(head));
    all.addAll(List.of(middle));
    all.addAll(List.of(tail));
    return all.toArray(String[]::new);
  }
}
