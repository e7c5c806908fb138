package dev.berth.cli.image;

import dev.berth.agent.images.ImageStore;
import dev.berth.model.image.ImageReference;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Removes image names; their blobs go with the next prune. */
@Command(name = "rm", description = "remove images (blobs are freed by prune)")
final class RemoveCommand implements Callable<Integer> {
  @Mixin ImageOptions options;

  @Parameters(arity = "1..*", paramLabel = "REF")
  List<String> refs;

  @Override
  public Integer call() throws Exception {
    ImageStore store = options.open();
    int missing = 0;
    for (String r : refs) {
      if (store.remove(ImageReference.parse(r))) {
        System.out.println("removed " + ImageReference.parse(r));
      } else {
        System.err.println("no image named " + ImageReference.parse(r));
        missing++;
      }
    }
    return missing == 0 ? 0 : 1;
  }
}
