package dev.berth.cli.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.agent.images.ImageStore;
import dev.berth.model.JsonMapping;
import dev.berth.model.image.Descriptor;
import dev.berth.model.image.Digest;
import dev.berth.model.image.ImageReference;
import dev.berth.model.image.MediaTypes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Prints an image's descriptor, manifest and config as JSON. */
@Command(name = "inspect", description = "show an image's manifest and config")
final class InspectCommand implements Callable<Integer> {
  @Mixin ImageOptions options;

  @Parameters(index = "0", paramLabel = "REF")
  String ref;

  @Override
  public Integer call() throws Exception {
    ImageStore store = options.open();
    ImageReference name = ImageReference.parse(ref);
    Descriptor d =
        store
            .resolve(name)
            .orElseThrow(() -> new IllegalArgumentException("no image named " + name));
    ObjectNode out = JsonMapping.mapper().createObjectNode();
    out.put("name", name.toString());
    out.set("descriptor", JsonMapping.mapper().valueToTree(d));
    JsonNode top = JsonMapping.mapper().readTree(store.content().read(d.digest()));
    out.set(MediaTypes.isIndex(d.mediaType()) ? "index" : "manifest", top);
    if (top.has("config")) {
      String config = top.get("config").get("digest").asText();
      out.set("config", JsonMapping.mapper().readTree(store.content().read(Digest.parse(config))));
    }
    System.out.println(JsonMapping.write(out));
    return 0;
  }
}
