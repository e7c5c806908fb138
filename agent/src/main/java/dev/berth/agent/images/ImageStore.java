package dev.berth.agent.images;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.berth.agent.images.store.ContentStore;
import dev.berth.agent.images.store.ContentStoreException;
import dev.berth.model.image.Descriptor;
import dev.berth.model.image.Digest;
import dev.berth.model.image.ImageReference;
import dev.berth.model.JsonMapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The node's images: the content store plus the names that point at manifests or indexes (refs.json). */
public final class ImageStore {
  private final ContentStore content;
  private final Path refsFile;
  private final TreeMap<String, Descriptor> refs = new TreeMap<>();

  public ImageStore(Path root) throws IOException {
    this.content = new ContentStore(root.resolve("content"));
    this.refsFile = root.resolve("refs.json");
    if (Files.exists(refsFile)) {
      refs.putAll(JsonMapping.mapper().readValue(refsFile.toFile(), new TypeReference<Map<String, Descriptor>>() {}));
    }
  }

  public ContentStore content() {
    return content;
  }

  /** Points a name (normalised, for example docker.io/library/busybox:latest) at a manifest or index. */
  public synchronized void tag(ImageReference name, Descriptor target) throws ContentStoreException {
    if (!content.has(target.digest())) {
      throw new ContentStoreException("cannot tag " + name + ": " + target.digest() + " is not in the store");
    }
    refs.put(name.toString(), target);
    save();
  }

  public synchronized Optional<Descriptor> resolve(ImageReference name) {
    return Optional.ofNullable(refs.get(name.toString()));
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
      Files.move(tmp, refsFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new ContentStoreException("cannot save image names in " + refsFile + ": " + e.getMessage(), e);
    }
  }
}
