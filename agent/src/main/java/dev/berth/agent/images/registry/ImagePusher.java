package dev.berth.agent.images.registry;

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
import java.util.ArrayList;
import java.util.List;

/**
 * Pushes an image from the store: blobs the registry lacks (mounted from another repository when it
 * can), then manifests.
 */
public final class ImagePusher {
  private final RegistryClient client;
  private final ImageStore images;
  private final long chunkSize;

  /** What a push did with each blob. */
  public record Result(int uploaded, int skipped, int mounted) {}

  public ImagePusher(RegistryClient client, ImageStore images, long chunkSize) {
    this.client = client;
    this.images = images;
    this.chunkSize = chunkSize;
  }

  /**
   * Pushes the image named {@code source} as {@code target}; {@code mountFrom} names a repository
   * to mount from.
   */
  public Result push(
      ImageReference source, ImageReference target, String mountFrom, PullProgress progress)
      throws RegistryException, ContentStoreException, IOException {
    Descriptor top =
        images
            .resolve(source)
            .orElseThrow(
                () -> new ContentStoreException("no image named " + source + " in the store"));
    int[] counts = new int[3];
    if (MediaTypes.isIndex(top.mediaType())) {
      ImageIndex index =
          JsonMapping.mapper().readValue(images.content().read(top.digest()), ImageIndex.class);
      for (Descriptor m : index.manifests()) {
        pushManifest(m, target, m.digest().toString(), mountFrom, progress, counts);
      }
      client.putManifest(
          target.registry(),
          target.repository(),
          target.manifestReference(),
          top.mediaType(),
          images.content().read(top.digest()));
    } else {
      pushManifest(top, target, target.manifestReference(), mountFrom, progress, counts);
    }
    return new Result(counts[0], counts[1], counts[2]);
  }

  private void pushManifest(
      Descriptor d,
      ImageReference target,
      String reference,
      String mountFrom,
      PullProgress progress,
      int[] counts)
      throws RegistryException, ContentStoreException, IOException {
    byte[] body = images.content().read(d.digest());
    Manifest manifest = JsonMapping.mapper().readValue(body, Manifest.class);
    List<Descriptor> blobs = new ArrayList<>(manifest.layers());
    blobs.add(manifest.config());
    for (Descriptor blob : blobs) {
      counts[pushBlob(target, blob, mountFrom, progress)]++;
    }
    client.putManifest(target.registry(), target.repository(), reference, d.mediaType(), body);
  }

  /** 0 uploaded, 1 skipped (the registry has it), 2 mounted. */
  private int pushBlob(
      ImageReference target, Descriptor blob, String mountFrom, PullProgress progress)
      throws RegistryException, IOException {
    Digest digest = blob.digest();
    if (client.hasBlob(target.registry(), target.repository(), digest)) {
      progress.update(digest, blob.size(), blob.size());
      return 1;
    }
    if (mountFrom != null
        && client.mountBlob(target.registry(), target.repository(), digest, mountFrom)) {
      progress.update(digest, blob.size(), blob.size());
      return 2;
    }
    client.uploadBlob(
        target.registry(),
        target.repository(),
        digest,
        images.content().path(digest),
        chunkSize,
        sent -> progress.update(digest, sent, blob.size()));
    return 0;
  }
}
