package dev.berth.cli.runc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.JsonMapping;
import dev.berth.runtime.bundle.BusyboxRootfs;
import dev.berth.runtime.files.FileTrees;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The training run of berth-runc's own class archive or AOT cache: one real lifecycle through the
 * runc command line, so it holds every class the common commands load. Needs only the runtime's
 * class path (bin/lib/launcher.sh runs it with -XX:AOTCacheOutput or -XX:ArchiveClassesAtExit).
 */
public final class RuncTraining {
  private RuncTraining() {}

  public static void main(String[] args) throws Exception {
    Path work = Files.createTempDirectory("berth-cds-");
    try {
      train(work);
    } finally {
      FileTrees.delete(work);
    }
  }

  /** The lifecycle in {@code work}; returns the bundle it made (a busybox rootfs in it). */
  static Path train(Path work) throws Exception {
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
    return bundle;
  }
}
