package dev.berth.cli.runc;

import dev.berth.agent.images.ImageStore;
import dev.berth.agent.images.build.BuildOptions;
import dev.berth.agent.images.build.ImageBuilder;
import dev.berth.cli.BerthMain;
import dev.berth.model.image.ImageReference;
import dev.berth.runtime.files.FileTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The training run of berth's class archive or AOT cache: berth-runc's lifecycle ({@link
 * RuncTraining}) and the local commands (run, ps, logs, rm), so it holds every class the one-shot
 * commands load. Run once by bin/lib/launcher.sh with -XX:ArchiveClassesAtExit or
 * -XX:AOTCacheOutput.
 */
public final class CdsTraining {
  private CdsTraining() {}

  public static void main(String[] args) throws Exception {
    Path work = Files.createTempDirectory("berth-cds-");
    try {
      Path bundle = RuncTraining.train(work);
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
