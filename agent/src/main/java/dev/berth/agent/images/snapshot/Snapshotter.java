package dev.berth.agent.images.snapshot;

import dev.berth.agent.images.store.ContentStore;
import dev.berth.agent.images.store.ContentStoreException;
import dev.berth.agent.images.unpack.LayerException;
import dev.berth.agent.images.unpack.LayerUnpacker;
import dev.berth.agent.images.unpack.Whiteouts;
import dev.berth.model.image.Descriptor;
import dev.berth.model.image.Digest;
import dev.berth.model.image.MediaTypes;
import dev.berth.runtime.files.FileTrees;
import dev.berth.runtime.libc.Native;
import dev.berth.runtime.libc.NativeException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Container root filesystems from image layers. Each layer is unpacked once, in the form overlayfs reads,
 * into {@code layers/<diff id>} and shared by every image that has it; a container's rootfs is an overlay
 * mount of its layers and its own writable upper directory. Where overlayfs cannot be used, the copying
 * fallback applies every layer into a private directory instead.
 */
public final class Snapshotter {
  private final ContentStore content;
  private final Path root;
  private final boolean overlay;
  private final Executor unpackers;
  private final ConcurrentHashMap<Digest, CompletableFuture<Path>> unpacking = new ConcurrentHashMap<>();

  /** {@code overlay} false forces the copying fallback. Layers are unpacked one after another. */
  public Snapshotter(ContentStore content, Path root, boolean overlay) throws IOException {
    this(content, root, overlay, Runnable::run);
  }

  /**
   * With overlayfs each layer has its own directory, so {@code unpackers} can unpack an image's layers at the
   * same time (a flattening unpacker such as umoci must apply them in order).
   */
  public Snapshotter(ContentStore content, Path root, boolean overlay, Executor unpackers) throws IOException {
    this.content = content;
    this.root = root;
    this.overlay = overlay;
    this.unpackers = unpackers;
    Files.createDirectories(root.resolve("layers"));
    Files.createDirectories(root.resolve("containers"));
  }

  /** Whether this kernel mounts overlayfs (listed in /proc/filesystems). */
  public static boolean overlaySupported() {
    try {
      return Files.readString(Path.of("/proc/filesystems")).contains("\toverlay\n");
    } catch (IOException e) {
      return false;
    }
  }

  public Path layerDir(Digest diffId) {
    return root.resolve("layers").resolve(diffId.encoded());
  }

  /**
   * Makes the rootfs of container {@code id} from the image's layers (bottom first) and their diff ids, and
   * returns the directory to use as the bundle's root.path.
   */
  public Path prepare(String id, List<Descriptor> layers, List<Digest> diffIds) throws SnapshotException {
    if (layers.size() != diffIds.size()) {
      throw new SnapshotException("image has " + layers.size() + " layers but its config lists " + diffIds.size()
          + " diff ids");
    }
    Path dir = root.resolve("containers").resolve(id);
    Path rootfs = dir.resolve("rootfs");
    try {
      Files.createDirectory(dir);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw new SnapshotException("a snapshot for container " + id + " already exists");
    } catch (IOException e) {
      throw new SnapshotException("cannot create " + dir + ": " + e.getMessage());
    }
    try {
      // Recorded first, so that a prune running meanwhile keeps these layers.
      Files.write(dir.resolve("layers"), diffIds.stream().map(Digest::toString).toList());
      Files.createDirectories(rootfs);
      if (overlay) {
        List<CompletableFuture<Path>> dirs = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
          Descriptor layer = layers.get(i);
          Digest diffId = diffIds.get(i);
          dirs.add(CompletableFuture.supplyAsync(() -> {
            try {
              return unpacked(layer, diffId);
            } catch (SnapshotException e) {
              throw new CompletionException(e);
            }
          }, unpackers));
        }
        List<String> lowers = new ArrayList<>();
        for (CompletableFuture<Path> d : dirs) {
          lowers.add(0, join(d).toString()); // overlay lists the top layer first
        }
        Path upper = Files.createDirectories(dir.resolve("upper"));
        Path work = Files.createDirectories(dir.resolve("work"));
        String data = "lowerdir=" + String.join(":", lowers) + ",upperdir=" + upper + ",workdir=" + work;
        Native.mount("overlay", rootfs.toString(), "overlay", 0, data);
      } else {
        for (int i = 0; i < layers.size(); i++) {
          apply(layers.get(i), diffIds.get(i), rootfs);
        }
      }
      return rootfs;
    } catch (SnapshotException | IOException | NativeException e) {
      remove(id);
      throw e instanceof SnapshotException s ? s : new SnapshotException("container " + id + ": " + e.getMessage());
    }
  }

  private static Path join(CompletableFuture<Path> f) throws SnapshotException {
    try {
      return f.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof SnapshotException s) {
        throw s;
      }
      throw new SnapshotException("unpacking failed: " + e.getCause());
    }
  }

  /**
   * Removes unpacked layers that neither {@code keep} (the diff ids of the images still named) nor any
   * container's rootfs uses; returns the diff ids removed.
   */
  public synchronized List<Digest> prune(java.util.Set<Digest> keep) throws SnapshotException {
    java.util.Set<String> used = new java.util.HashSet<>();
    keep.forEach(d -> used.add(d.encoded()));
    try (var containers = Files.list(root.resolve("containers"))) {
      for (Path c : containers.toList()) {
        Path layersFile = c.resolve("layers");
        if (Files.exists(layersFile)) {
          Files.readAllLines(layersFile).forEach(l -> used.add(Digest.parse(l).encoded()));
        }
      }
      List<Digest> removed = new ArrayList<>();
      try (var layers = Files.list(root.resolve("layers"))) {
        for (Path l : layers.toList()) {
          String name = l.getFileName().toString();
          if (!name.startsWith(".") && !used.contains(name)) {
            FileTrees.delete(l);
            removed.add(new Digest("sha256", name));
          }
        }
      }
      return removed;
    } catch (IOException | IllegalArgumentException e) {
      throw new SnapshotException("cannot prune layers in " + root + ": " + e.getMessage());
    }
  }

  /** Unmounts and deletes a container's rootfs and everything it wrote. */
  public void remove(String id) throws SnapshotException {
    Path dir = root.resolve("containers").resolve(id);
    try {
      Native.unmount(dir.resolve("rootfs").toString());
      FileTrees.delete(dir);
    } catch (IOException | NativeException e) {
      throw new SnapshotException("cannot remove the snapshot of container " + id + ": " + e.getMessage());
    }
  }

  /** The layer's shared directory, unpacked now if no image has needed it before (once, however many ask). */
  private Path unpacked(Descriptor layer, Digest diffId) throws SnapshotException {
    Path target = layerDir(diffId);
    if (Files.isDirectory(target)) {
      return target;
    }
    CompletableFuture<Path> mine = new CompletableFuture<>();
    CompletableFuture<Path> running = unpacking.putIfAbsent(diffId, mine);
    if (running != null) {
      return join(running);
    }
    try {
      if (!Files.isDirectory(target)) {
        try (InputStream blob = content.open(layer.digest())) {
          LayerUnpacker.Result r = LayerUnpacker.unpackNew(blob, MediaTypes.layerCompression(layer.mediaType()), target,
              layer.digest().toString(), Whiteouts.OVERLAY);
          checkDiffId(layer, diffId, r, target);
        }
      }
      mine.complete(target);
      return target;
    } catch (IOException | ContentStoreException | LayerException e) {
      SnapshotException s = new SnapshotException("layer " + layer.digest() + ": " + e.getMessage());
      mine.completeExceptionally(s);
      throw s;
    } catch (SnapshotException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      unpacking.remove(diffId, mine);
    }
  }

  private static void checkDiffId(Descriptor layer, Digest expected, LayerUnpacker.Result r, Path unpackedAt)
      throws SnapshotException, IOException {
    if (!r.diffId().equals(expected)) {
      FileTrees.delete(unpackedAt);
      throw new SnapshotException("layer " + layer.digest() + ": uncompressed content has digest " + r.diffId()
          + ", the image config says " + expected);
    }
  }

  private void apply(Descriptor layer, Digest diffId, Path rootfs) throws SnapshotException {
    try (InputStream blob = content.open(layer.digest())) {
      LayerUnpacker.Result r = LayerUnpacker.unpack(blob, MediaTypes.layerCompression(layer.mediaType()), rootfs,
          layer.digest().toString(), Whiteouts.APPLY);
      if (!r.diffId().equals(diffId)) {
        throw new SnapshotException("layer " + layer.digest() + ": uncompressed content has digest " + r.diffId()
            + ", the image config says " + diffId);
      }
    } catch (IOException | ContentStoreException | LayerException e) {
      throw new SnapshotException("layer " + layer.digest() + ": " + e.getMessage());
    }
  }
}
