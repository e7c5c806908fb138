package dev.berth.agent.images.registry;

import dev.berth.agent.images.ImageStore;
import dev.berth.agent.images.ResolvedImage;
import dev.berth.agent.images.store.ContentStore;
import dev.berth.agent.images.store.ContentStoreException;
import dev.berth.agent.images.store.TransferInterruptedException;
import dev.berth.model.JsonMapping;
import dev.berth.model.image.Descriptor;
import dev.berth.model.image.ImageConfig;
import dev.berth.model.image.ImageIndex;
import dev.berth.model.image.ImageReference;
import dev.berth.model.image.Manifest;
import dev.berth.model.image.MediaTypes;
import dev.berth.model.image.Platform;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Pulls an image into the store: manifest (or index, then the platform's manifest), config and
 * layers in parallel.
 */
public final class ImagePuller {
  private static final int RESUME_ATTEMPTS = 3;

  private final RegistryClient client;
  private final ImageStore images;
  private final ExecutorService workers;

  public ImagePuller(RegistryClient client, ImageStore images, ExecutorService workers) {
    this.client = client;
    this.images = images;
    this.workers = workers;
  }

  /** The platform of this machine, as image indexes name platforms. */
  /**
   * Pulls {@code ref} for {@code platform} and names it; returns the image as resolved for the
   * platform.
   */
  public ResolvedImage pull(ImageReference ref, Platform platform, PullProgress progress)
      throws RegistryException, ContentStoreException {
    RegistryClient.Fetched top = manifest(ref, ref.manifestReference());
    Descriptor topDescriptor = Descriptor.of(top.mediaType(), top.digest(), top.body().length);
    // Each manifest is parsed and checked before it is stored: the store keeps only what parsed.
    Manifest manifest;
    byte[] manifestBytes = top.body();
    RegistryClient.Fetched chosenManifest = top;
    if (MediaTypes.isIndex(top.mediaType())) {
      ImageIndex index = read(top.body(), ImageIndex.class, ref);
      if (index.manifests() == null) {
        throw new RegistryException(ref + ": invalid image index: \"manifests\" is missing", 0);
      }
      Descriptor chosen =
          index
              .manifestFor(platform)
              .orElseThrow(
                  () ->
                      new RegistryException(
                          ref + ": no manifest for " + platform + " in its index", 0));
      chosenManifest = manifest(ref, chosen.digest().toString());
      manifestBytes = chosenManifest.body();
    }
    manifest = checked(read(manifestBytes, Manifest.class, ref), ref);
    images.content().put(top.body());
    if (chosenManifest != top) {
      images.content().put(chosenManifest.body());
    }
    List<Descriptor> blobs = new ArrayList<>(manifest.layers());
    blobs.add(0, manifest.config());
    List<Future<?>> fetches = new ArrayList<>();
    for (Descriptor blob : blobs) {
      fetches.add(
          workers.submit(
              () -> {
                fetch(ref, blob, progress);
                return null;
              }));
    }
    for (Future<?> f : fetches) {
      await(f);
    }
    ImageConfig config =
        read(images.content().read(manifest.config().digest()), ImageConfig.class, ref);
    images.tag(ref, topDescriptor);
    return new ResolvedImage(topDescriptor, manifest, config);
  }

  private static <T> T read(byte[] json, Class<T> type, ImageReference ref)
      throws RegistryException {
    try {
      return JsonMapping.mapper().readValue(json, type);
    } catch (IOException | IllegalArgumentException e) {
      throw new RegistryException(
          ref + ": invalid " + type.getSimpleName() + ": " + e.getMessage(), 0);
    }
  }

  /**
   * A manifest, fetched again when the transfer broke off (a timeout, a reset), as blobs are
   * resumed.
   */
  private RegistryClient.Fetched manifest(ImageReference ref, String reference)
      throws RegistryException {
    for (int attempt = 1; ; attempt++) {
      try {
        return client.getManifest(ref.registry(), ref.repository(), reference);
      } catch (RegistryException e) {
        if (attempt == RESUME_ATTEMPTS || !(e.getCause() instanceof IOException)) {
          throw e;
        }
      }
    }
  }

  /** Every descriptor a pull follows must say what it is; a config is a manifest-sized document. */
  private static Manifest checked(Manifest m, ImageReference ref) throws RegistryException {
    if (m.config() == null) {
      throw new RegistryException(ref + ": invalid manifest: \"config\" is missing", 0);
    }
    if (m.layers() == null) {
      throw new RegistryException(ref + ": invalid manifest: \"layers\" is missing", 0);
    }
    checkDescriptor(m.config(), "config", ref);
    for (int i = 0; i < m.layers().size(); i++) {
      checkDescriptor(m.layers().get(i), "layers[" + i + "]", ref);
    }
    if (m.config().size() > ContentStore.MAX_MANIFEST_BYTES) {
      throw new RegistryException(
          ref
              + ": the image config is "
              + m.config().size()
              + " bytes, more than the "
              + ContentStore.MAX_MANIFEST_BYTES
              + " Berth reads",
          0);
    }
    return m;
  }

  private static void checkDescriptor(Descriptor d, String where, ImageReference ref)
      throws RegistryException {
    if (d == null || d.digest() == null) {
      throw new RegistryException(ref + ": invalid manifest: " + where + ".digest is missing", 0);
    }
    if (d.size() == null || d.size() < 0) {
      throw new RegistryException(
          ref + ": invalid manifest: " + where + ".size is missing or negative", 0);
    }
  }

  private void fetch(ImageReference ref, Descriptor blob, PullProgress progress)
      throws ContentStoreException {
    for (int attempt = 1; ; attempt++) {
      try {
        images
            .content()
            .ingest(
                blob.digest(),
                blob.size(),
                offset ->
                    new CountingInputStream(
                        client.openBlob(ref.registry(), ref.repository(), blob.digest(), offset),
                        offset,
                        done -> progress.update(blob.digest(), done, blob.size())));
        progress.update(blob.digest(), blob.size(), blob.size());
        return;
      } catch (TransferInterruptedException e) {
        if (attempt == RESUME_ATTEMPTS) {
          throw e;
        }
        // resume from what arrived
      }
    }
  }

  private static void await(Future<?> f) throws RegistryException, ContentStoreException {
    try {
      f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ContentStoreException c) {
        throw c;
      }
      if (e.getCause() instanceof RegistryException r) {
        throw r;
      }
      throw new RegistryException("pull failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException("pull interrupted", e);
    }
  }
}
