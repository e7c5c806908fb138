package dev.berth.agent.images.layout;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.agent.images.ImageStore;
import dev.berth.agent.images.store.ContentStoreException;
import dev.berth.model.JsonMapping;
import dev.berth.model.image.Descriptor;
import dev.berth.model.image.Digest;
import dev.berth.model.image.ImageIndex;
import dev.berth.model.image.ImageReference;
import dev.berth.model.image.Manifest;
import dev.berth.model.image.MediaTypes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Imports and exports images as OCI image layouts (oci-layout, index.json, blobs/sha256/...), the
 * format skopeo's oci: transport and umoci read and write. Imported blobs are verified against
 * their digests.
 */
public final class OciLayout {
  public static final String REF_NAME = "org.opencontainers.image.ref.name";
  private static final String LAYOUT = "{\"imageLayoutVersion\":\"1.0.0\"}";

  private final ImageStore images;

  public OciLayout(ImageStore images) {
    this.images = images;
  }

  /**
   * Writes the named image into the layout at {@code dir} under {@code refName} (created, or added
   * to).
   */
  public Descriptor export(ImageReference name, Path dir, String refName)
      throws IOException, ContentStoreException {
    Descriptor top =
        images
            .resolve(name)
            .orElseThrow(
                () -> new ContentStoreException("no image named " + name + " in the store"));
    Files.createDirectories(dir.resolve("blobs/sha256"));
    Files.writeString(dir.resolve("oci-layout"), LAYOUT);
    for (Digest d : closure(top)) {
      Path target = dir.resolve("blobs").resolve(d.algorithm()).resolve(d.encoded());
      if (!Files.exists(target)) {
        Files.createDirectories(target.getParent());
        Files.copy(images.content().path(d), target, StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
    List<Descriptor> entries = new ArrayList<>();
    Path indexFile = dir.resolve("index.json");
    if (Files.exists(indexFile)) {
      for (Descriptor e :
          JsonMapping.mapper().readValue(indexFile.toFile(), ImageIndex.class).manifests()) {
        if (e.annotations() == null || !refName.equals(e.annotations().get(REF_NAME))) {
          entries.add(e);
        }
      }
    }
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(REF_NAME, refName);
    Descriptor entry =
        new Descriptor(
            top.mediaType(), top.digest(), top.size(), null, annotations, null, null, null, null);
    entries.add(entry);
    ImageIndex index = new ImageIndex(2, MediaTypes.OCI_INDEX, null, entries, null, null, null);
    Path tmp = dir.resolve("index.json.tmp");
    Files.write(tmp, JsonMapping.mapper().writeValueAsBytes(index));
    Files.move(tmp, indexFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return entry;
  }

  /**
   * Imports the layout's image named {@code refName} (or its only image when null) as {@code name}.
   */
  public Descriptor importImage(Path dir, String refName, ImageReference name)
      throws IOException, ContentStoreException {
    Path layoutFile = dir.resolve("oci-layout");
    if (!Files.isRegularFile(layoutFile)) {
      throw new IOException(dir + " is not an OCI image layout: no oci-layout file");
    }
    JsonNode layout = JsonMapping.mapper().readTree(layoutFile.toFile());
    if (!"1.0.0".equals(layout.path("imageLayoutVersion").asText())) {
      throw new IOException(
          layoutFile + ": unsupported imageLayoutVersion " + layout.path("imageLayoutVersion"));
    }
    ImageIndex index =
        JsonMapping.mapper().readValue(dir.resolve("index.json").toFile(), ImageIndex.class);
    List<Descriptor> candidates =
        index.manifests().stream()
            .filter(
                d ->
                    refName == null
                        || (d.annotations() != null
                            && refName.equals(d.annotations().get(REF_NAME))))
            .toList();
    if (candidates.size() != 1) {
      throw new IOException(
          dir
              + ": "
              + (candidates.isEmpty() ? "no image" : candidates.size() + " images")
              + (refName == null ? "" : " named \"" + refName + "\"")
              + " in index.json"
              + (refName == null && candidates.size() > 1 ? " (name one)" : ""));
    }
    Descriptor top = candidates.get(0);
    List<Descriptor> todo = new ArrayList<>(List.of(top));
    while (!todo.isEmpty()) {
      Descriptor d = todo.remove(0);
      Path blob =
          dir.resolve("blobs").resolve(d.digest().algorithm()).resolve(d.digest().encoded());
      if (!Files.isRegularFile(blob)) {
        throw new IOException(dir + ": blob " + d.digest() + " is missing from the layout");
      }
      images
          .content()
          .ingest(
              d.digest(),
              d.size(),
              offset -> {
                var in = Files.newInputStream(blob);
                in.skipNBytes(offset);
                return in;
              });
      todo.addAll(children(d));
    }
    Descriptor named =
        new Descriptor(
            top.mediaType(), top.digest(), top.size(), null, null, null, null, null, null);
    images.tag(name, named);
    return named;
  }

  /** The digests an image needs: itself, its manifests, configs and layers. */
  private List<Digest> closure(Descriptor top) throws IOException, ContentStoreException {
    List<Digest> out = new ArrayList<>();
    List<Descriptor> todo = new ArrayList<>(List.of(top));
    while (!todo.isEmpty()) {
      Descriptor d = todo.remove(0);
      out.add(d.digest());
      todo.addAll(children(d));
    }
    return out;
  }

  private List<Descriptor> children(Descriptor d) throws IOException, ContentStoreException {
    if (MediaTypes.isIndex(d.mediaType())) {
      return JsonMapping.mapper()
          .readValue(images.content().read(d.digest()), ImageIndex.class)
          .manifests();
    }
    if (MediaTypes.isManifest(d.mediaType())) {
      Manifest m =
          JsonMapping.mapper().readValue(images.content().read(d.digest()), Manifest.class);
      List<Descriptor> out = new ArrayList<>(m.layers());
      out.add(m.config());
      return out;
    }
    return List.of();
  }
}
