package dev.berth.agent.images;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.berth.agent.images.store.ContentStore;
import dev.berth.agent.images.store.ContentStoreException;
import dev.berth.model.JsonMapping;
import dev.berth.model.image.Descriptor;
import dev.berth.model.image.Digest;
import dev.berth.model.image.ImageConfig;
import dev.berth.model.image.ImageIndex;
import dev.berth.model.image.ImageReference;
import dev.berth.model.image.Manifest;
import dev.berth.model.image.MediaTypes;
import dev.berth.model.image.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The node's images: the content store plus the names that point at manifests or indexes
 * (refs.json).
 */
public final class ImageStore {
  private final ContentStore content;
  private final Path refsFile;
  private final TreeMap<String, Descriptor> refs = new TreeMap<>();

  public ImageStore(Path root) throws IOException {
    this.content = new ContentStore(root.resolve("content"));
    this.refsFile = root.resolve("refs.json");
    if (Files.exists(refsFile)) {
      refs.putAll(
          JsonMapping.mapper()
              .readValue(refsFile.toFile(), new TypeReference<Map<String, Descriptor>>() {}));
    }
  }

  public ContentStore content() {
    return content;
  }

  /**
   * Points a name (normalised, for example docker.io/library/busybox:latest) at a manifest or
   * index.
   */
  public synchronized void tag(ImageReference name, Descriptor target)
      throws ContentStoreException {
    if (!content.has(target.digest())) {
      throw new ContentStoreException(
          "cannot tag " + name + ": " + target.digest() + " is not in the store");
    }
    refs.put(name.toString(), target);
    save();
  }

  public synchronized Optional<Descriptor> resolve(ImageReference name) {
    return Optional.ofNullable(refs.get(name.toString()));
  }

  /**
   * The image a name points at, resolved for {@code platform} from the store alone (an index to the
   * platform's manifest, the manifest to its config); empty when the name is unknown here.
   */
  public Optional<ResolvedImage> image(ImageReference name, Platform platform)
      throws ContentStoreException {
    Descriptor target = resolve(name).orElse(null);
    if (target == null) {
      return Optional.empty();
    }
    Descriptor chosen = target;
    if (MediaTypes.isIndex(target.mediaType())) {
      ImageIndex index = read(target.digest(), ImageIndex.class);
      chosen =
          index
              .manifestFor(platform)
              .orElseThrow(
                  () ->
                      new ContentStoreException(
                          name
                              + ": no manifest for "
                              + platform
                              + " in its index "
                              + target.digest()));
    }
    Manifest manifest = read(chosen.digest(), Manifest.class);
    if (manifest.config() == null) {
      throw new ContentStoreException(name + ": manifest " + chosen.digest() + " has no config");
    }
    return Optional.of(
        new ResolvedImage(target, manifest, read(manifest.config().digest(), ImageConfig.class)));
  }

  private <T> T read(Digest digest, Class<T> type) throws ContentStoreException {
    try {
      return JsonMapping.mapper().readValue(content.read(digest), type);
    } catch (IOException e) {
      throw new ContentStoreException(
          "cannot read " + type.getSimpleName() + " " + digest + ": " + e.getMessage(), e);
    }
  }

  public synchronized Map<String, Descriptor> list() {
    return Map.copyOf(refs);
  }

  public synchronized boolean remove(ImageReference name) throws ContentStoreException {
    boolean removed = refs.remove(name.toString()) != null;
    if (removed) {
      save();
    }
    return removed;
  }

  /** Removes the blobs no name leads to any more. */
  public synchronized ContentStore.GcResult prune() throws ContentStoreException {
    Set<Digest> roots = refs.values().stream().map(Descriptor::digest).collect(Collectors.toSet());
    return content.gc(roots);
  }

  private void save() throws ContentStoreException {
    Path tmp = refsFile.resolveSibling("refs.json.tmp");
    try {
      Files.write(tmp, JsonMapping.mapper().writeValueAsBytes(refs));
      Files.move(
          tmp, refsFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new ContentStoreException(
          "cannot save image names in " + refsFile + ": " + e.getMessage(), e);
    }
  }
}
