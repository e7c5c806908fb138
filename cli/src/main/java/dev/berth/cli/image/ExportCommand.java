package dev.berth.cli.image;

import dev.berth.agent.images.layout.OciLayout;
import dev.berth.model.image.ImageReference;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Exports an image into an OCI image layout directory (skopeo's oci:DIR:REF, umoci's DIR:REF). */
@Command(name = "export", description = "export an image to an OCI image layout")
final class ExportCommand implements Callable<Integer> {
  @Mixin ImageOptions options;

  @Parameters(index = "0", paramLabel = "REF")
  String ref;

  @Parameters(index = "1", paramLabel = "DIR")
  Path dir;

  @Option(names = "--ref-name", description = "name inside the layout (default: the tag)")
  String refName;

  @Override
  public Integer call() throws Exception {
    ImageReference name = ImageReference.parse(ref);
    String inLayout = refName != null ? refName : name.tag() != null ? name.tag() : "latest";
    new OciLayout(options.open()).export(name, dir, inLayout);
    System.out.println(dir + ":" + inLayout);
    return 0;
  }
}
