package dev.berth.cli.image;

import dev.berth.agent.images.ImageStore;
import dev.berth.model.image.Descriptor;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Lists the images in the store. */
@Command(name = "ls", description = "list images")
final class ListImagesCommand implements Callable<Integer> {
  @Mixin ImageOptions options;

  @Override
  public Integer call() throws Exception {
    ImageStore store = options.open();
    System.out.printf("%-60s %-20s %s%n", "NAME", "DIGEST", "TYPE");
    for (Map.Entry<String, Descriptor> e : store.list().entrySet()) {
      Descriptor d = e.getValue();
      System.out.printf(
          "%-60s %-20s %s%n",
          e.getKey(),
          d.digest().encoded().substring(0, 12),
          d.mediaType().substring(d.mediaType().lastIndexOf('.') + 1));
    }
    return 0;
  }
}
