package dev.berth.cli.image;

import dev.berth.agent.images.ResolvedImage;
import dev.berth.agent.images.registry.ImagePuller;
import dev.berth.model.image.ImageReference;
import dev.berth.model.image.Platform;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Pulls an image, layers in parallel, with a bar per layer. */
@Command(name = "pull", description = "pull an image from a registry")
final class PullCommand implements Callable<Integer> {
  @Mixin ImageOptions options;

  @Parameters(index = "0", paramLabel = "REF")
  String ref;

  @Option(names = "--platform", description = "os/arch[/variant], default this machine's")
  String platform;

  @Override
  public Integer call() throws Exception {
    ImageReference reference = ImageReference.parse(ref);
    Platform wanted = platform == null ? Platform.host() : Platform.parse(platform);
    ExecutorService workers = Executors.newFixedThreadPool(4);
    try {
      ResolvedImage image =
          new ImagePuller(options.client(reference.registry()), options.open(), workers)
              .pull(reference, wanted, new ProgressBars(System.out));
      System.out.println(reference + " " + image.target().digest());
      return 0;
    } finally {
      workers.shutdownNow();
    }
  }
}
