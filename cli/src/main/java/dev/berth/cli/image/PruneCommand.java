package dev.berth.cli.image;

import dev.berth.agent.images.store.ContentStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Removes the blobs no image uses any more. */
@Command(name = "prune", description = "free the blobs no image uses")
final class PruneCommand implements Callable<Integer> {
  @Mixin ImageOptions options;

  @Override
  public Integer call() throws Exception {
    ContentStore.GcResult r = options.open().prune();
    System.out.printf(
        "removed %d blobs and %d abandoned partial downloads, kept %d blobs%n",
        r.removed().size(), r.partialsRemoved().size(), r.kept().size());
    return 0;
  }
}
