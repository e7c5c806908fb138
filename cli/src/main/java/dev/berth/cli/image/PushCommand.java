package dev.berth.cli.image;

import dev.berth.agent.images.registry.ImagePusher;
import dev.berth.model.image.ImageReference;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Pushes an image, skipping blobs the registry has and mounting from another repository when asked.
 */
@Command(name = "push", description = "push an image to a registry")
final class PushCommand implements Callable<Integer> {
  @Mixin ImageOptions options;

  @Parameters(index = "0", paramLabel = "SOURCE")
  String source;

  @Parameters(index = "1", arity = "0..1", paramLabel = "TARGET", description = "default: SOURCE")
  String target;

  @Option(
      names = "--mount-from",
      description = "repository on the same registry that has the blobs")
  String mountFrom;

  @Option(
      names = "--chunk-size",
      defaultValue = "16777216",
      description = "upload blobs larger than this in chunks")
  long chunkSize;

  @Override
  public Integer call() throws Exception {
    ImageReference from = ImageReference.parse(source);
    ImageReference to = ImageReference.parse(target == null ? source : target);
    ImagePusher.Result r =
        new ImagePusher(options.client(to.registry()), options.open(), chunkSize)
            .push(from, to, mountFrom, new ProgressBars(System.out));
    System.out.printf(
        "%s: %d uploaded, %d already there, %d mounted%n",
        to, r.uploaded(), r.skipped(), r.mounted());
    return 0;
  }
}
