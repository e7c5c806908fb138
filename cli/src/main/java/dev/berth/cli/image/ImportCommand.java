package dev.berth.cli.image;

import dev.berth.agent.images.layout.OciLayout;
import dev.berth.model.image.Descriptor;
import dev.berth.model.image.ImageReference;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Imports an image from an OCI image layout directory. */
@Command(name = "import", description = "import an image from an OCI image layout")
final class ImportCommand implements Callable<Integer> {
  @Mixin ImageOptions options;

  @Parameters(index = "0", paramLabel = "DIR")
  Path dir;

  @Parameters(index = "1", paramLabel = "NAME", description = "the name to give the image")
  String name;

  @Option(
      names = "--ref-name",
      description = "which image of the layout (its org.opencontainers.image.ref.name)")
  String refName;

  @Override
  public Integer call() throws Exception {
    Descriptor d =
        new OciLayout(options.open()).importImage(dir, refName, ImageReference.parse(name));
    System.out.println(ImageReference.parse(name) + " " + d.digest());
    return 0;
  }
}
