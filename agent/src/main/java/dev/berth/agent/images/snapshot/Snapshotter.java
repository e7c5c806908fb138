package dev.berth.agent.images.snapshot;

import dev.berth.agent.images.store.ContentStore;
import dev.berth.agent.images.store.ContentStoreException;
import dev.berth.agent.images.store.PrivateDirs;
import dev.berth.agent.images.unpack.LayerException;
import dev.berth.agent.images.unpack.LayerUnpacker;
import dev.berth.agent.images.unpack.UnpackLimits;
import dev.berth.agent.images.unpack.Whiteouts;
import dev.berth.model.image.Descriptor;
import dev.berth.model.image.Digest;
import dev.berth.model.image.MediaTypes;
import dev.berth.runtime.ContainerException;
import dev.berth.runtime.files.FileTrees;
import dev.berth.runtime.libc.IdmappedMounts;
import dev.berth.runtime.libc.Native;
import dev.berth.runtime.libc.NativeException;
import dev.berth.runtime.userns.IdRange;
import dev.berth.runtime.userns.UserNamespaceFds;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Container root filesystems from image layers. Each layer is unpacked once, in the form overlayfs
 * reads, into {@code layers/<diff id>} and shared by every image that has it; a container's rootfs
 * is an overlay mount of its layers and its own writable upper directory. Where overlayfs cannot be
 * used, the copying fallback applies every layer into a private directory instead.
 */
public final class Snapshotter {
  private final ContentStore content;
  private final Path root;
  private final boolean overlay;
  private final Executor unpackers;
  private final ConcurrentHashMap<Digest, CompletableFuture<Path>> unpacking =
      new ConcurrentHashMap<>();
  private volatile UnpackLimits limits = UnpackLimits.DEFAULT;

  /** {@code overlay} false forces the copying fallback. Layers are unpacked one after another. */
  public Snapshotter(ContentStore content, Path root, boolean overlay) throws IOException {
    this(content, root, overlay, Runnable::run);
  }

  /**
   * With overlayfs each layer has its own directory, so {@code unpackers} can unpack an image's
   * layers at the same time (a flattening unpacker such as umoci must apply them in order).
   */
  public Snapshotter(ContentStore content, Path root, boolean overlay, Executor unpackers)
      throws IOException {
    this.content = content;
    this.root = root;
    this.overlay = overlay;
    this.unpackers = unpackers;
    // Root only, as containerd's snapshotter: layers and mounted rootfs hold an image's setuid
    // binaries and
    // device nodes, which no host user may reach by path.
    PrivateDirs.create(root);
    PrivateDirs.create(root.resolve("layers"));
    PrivateDirs.create(root.resolve("containers"));
  }

  /** Sets what one layer may cost to unpack (decompression bombs, header sizes). */
  public Snapshotter withLimits(UnpackLimits limits) {
    this.limits = limits;
    return this;
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
   * Makes the rootfs of container {@code id} from the image's layers (bottom first) and their diff
   * ids, and returns the directory to use as the bundle's root.path.
   */
  public Path prepare(String id, List<Descriptor> layers, List<Digest> diffIds)
      throws SnapshotException {
    return prepare(id, layers, diffIds, null);
  }

  /**
   * As {@link #prepare(String, List, List)}, for a container whose ids 0.. are host ids {@code ids}
   * (a user namespace of its own; null: none): its layers are idmapped mounts, so the files its
   * root owns are its root's on the host too, and the rootfs's own top directory belongs to it;
   * nothing is copied or chowned.
   */
  public Path prepare(String id, List<Descriptor> layers, List<Digest> diffIds, IdRange ids)
      throws SnapshotException {
    requireId(id);
    if (ids != null && !overlay) {
      throw new SnapshotException(
          "container " + id + ": a user namespace needs overlayfs here (idmapped layers)");
    }
    if (layers.size() != diffIds.size()) {
      throw new SnapshotException(
          "image has "
              + layers.size()
              + " layers but its config lists "
              + diffIds.size()
              + " diff ids");
    }
    if (overlay && layers.size() > MAX_OVERLAY_LAYERS) {
      throw new SnapshotException(
          "image has "
              + layers.size()
              + " layers; overlayfs stacks at most "
              + MAX_OVERLAY_LAYERS
              + " (the kernel's limit)");
    }
    Path dir = root.resolve("containers").resolve(id);
    Path rootfs = dir.resolve("rootfs");
    try {
      Files.createDirectory(dir);
    } catch (FileAlreadyExistsException e) {
      throw new SnapshotException("a snapshot for container " + id + " already exists");
    } catch (IOException e) {
      throw new SnapshotException("cannot create " + dir + ": " + e.getMessage());
    }
    boolean done = false;
    try {
      // Recorded first, so that a prune running meanwhile keeps these layers.
      Files.write(dir.resolve("layers"), diffIds.stream().map(Digest::toString).toList());
      Files.createDirectories(rootfs);
      if (overlay) {
        List<CompletableFuture<Path>> dirs = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
          Descriptor layer = layers.get(i);
          Digest diffId = diffIds.get(i);
          dirs.add(
              CompletableFuture.supplyAsync(
                  () -> {
                    try {
                      return unpacked(layer, diffId);
                    } catch (SnapshotException e) {
                      throw new CompletionException(e);
                    }
                  },
                  unpackers));
        }
        List<Path> lowers = new ArrayList<>();
        for (CompletableFuture<Path> d : dirs) {
          lowers.add(0, join(d)); // overlay lists the top layer first
        }
        Path upper = Files.createDirectories(dir.resolve("upper"));
        if (ids != null) {
          // the merged root's owner is the upper directory's: the container's root
          Files.setAttribute(upper, "unix:uid", (int) ids.hostId());
          Files.setAttribute(upper, "unix:gid", (int) ids.hostId());
        }
        mountOverlay(
            rootfs,
            lowers,
            upper,
            Files.createDirectories(dir.resolve("work")),
            ids == null ? -1 : UserNamespaceFds.of(ids));
      } else {
        for (int i = 0; i < layers.size(); i++) {
          apply(layers.get(i), diffIds.get(i), rootfs);
        }
      }
      done = true;
      return rootfs;
    } catch (IOException | NativeException | ContainerException e) {
      throw new SnapshotException("container " + id + ": " + e.getMessage());
    } finally {
      if (!done) {
        removeQuietly(id);
      }
    }
  }

  /** A container id names a directory here: one plain name, nothing that climbs. */
  private static void requireId(String id) throws SnapshotException {
    if (id == null
        || id.isEmpty()
        || id.equals(".")
        || id.equals("..")
        || id.contains("/")
        || id.length() > 255) {
      throw new SnapshotException("\"" + id + "\" cannot be a container id");
    }
  }

  /** mount(2) reads its options from one page. */
  private static final int MOUNT_DATA_MAX = 4096;

  /** overlayfs's limit on stacked lower layers (OVL_MAX_STACK). */
  static final int MAX_OVERLAY_LAYERS = 500;

  /**
   * Mounts the overlay naming each directory by a descriptor (/proc/self/fd/N), so the mount
   * options stay far below the one page the kernel reads however long the state path (127 layers:
   * about 2.4 KB).
   */
  private static void mountOverlay(
      Path rootfs, List<Path> lowers, Path upper, Path work, int usernsFd)
      throws SnapshotException {
    List<Integer> fds = new ArrayList<>();
    try {
      StringBuilder data = new StringBuilder("lowerdir=");
      for (int i = 0; i < lowers.size(); i++) {
        String lower = lowers.get(i).toString();
        int fd =
            usernsFd >= 0 ? IdmappedMounts.open(lower, usernsFd) : Native.openDirectoryPath(lower);
        fds.add(fd);
        data.append(i == 0 ? "" : ":").append("/proc/self/fd/").append(fd);
      }
      int up = Native.openDirectoryPath(upper.toString());
      fds.add(up);
      int wk = Native.openDirectoryPath(work.toString());
      fds.add(wk);
      data.append(",upperdir=/proc/self/fd/")
          .append(up)
          .append(",workdir=/proc/self/fd/")
          .append(wk);
      if (data.length() >= MOUNT_DATA_MAX) {
        throw new SnapshotException(
            "an overlay of "
                + lowers.size()
                + " layers needs "
                + data.length()
                + " bytes of mount options, more than the kernel reads ("
                + (MOUNT_DATA_MAX - 1)
                + ")");
      }
      Native.mount("overlay", rootfs.toString(), "overlay", 0, data.toString());
    } finally {
      fds.forEach(Native::close);
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

  /** An unpack directory untouched this long belongs to a process that is gone. */
  private static final Duration ABANDONED = Duration.ofHours(1);

  /**
   * Removes what a crash left: layer unpacks abandoned for an hour (one running here is younger).
   * Returns their names.
   */
  public synchronized List<String> pruneDebris() throws SnapshotException {
    List<String> removed = new ArrayList<>();
    Instant cutoff = Instant.now().minus(ABANDONED);
    try (var layers = Files.list(root.resolve("layers"))) {
      for (Path l : layers.toList()) {
        if (l.getFileName().toString().startsWith(LayerUnpacker.UNPACKING_PREFIX)
            && Files.getLastModifiedTime(l, LinkOption.NOFOLLOW_LINKS)
                .toInstant()
                .isBefore(cutoff)) {
          FileTrees.delete(l);
          removed.add(l.getFileName().toString());
        }
      }
      return removed;
    } catch (IOException e) {
      throw new SnapshotException(
          "cannot prune unpack debris in " + root.resolve("layers") + ": " + e.getMessage());
    }
  }

  /**
   * Removes unpacked layers that neither {@code keep} (the diff ids of the images still named) nor
   * any container's rootfs uses; returns the diff ids removed.
   */
  public synchronized List<Digest> prune(Set<Digest> keep) throws SnapshotException {
    Set<String> used = new HashSet<>();
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

  /** Mounts stacked on one rootfs that a removal takes off before it gives up. */
  private static final int MAX_STACKED_MOUNTS = 16;

  /** The containers that have a rootfs here (mounted or not), by id. */
  public List<String> containerIds() throws SnapshotException {
    try (var dirs = Files.list(root.resolve("containers"))) {
      return dirs.map(d -> d.getFileName().toString()).sorted().toList();
    } catch (java.nio.file.NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new SnapshotException(
          "cannot list the snapshots in " + root.resolve("containers") + ": " + e.getMessage());
    }
  }

  /** Unmounts and deletes a container's rootfs and everything it wrote. */
  public void remove(String id) throws SnapshotException {
    requireId(id);
    Path dir = root.resolve("containers").resolve(id);
    try {
      // Every mount on it: a process killed between two steps (or anything else mounting there)
      // can leave more than one, and the directory cannot go while one is left.
      String rootfs = dir.resolve("rootfs").toString();
      for (int i = 0; i < MAX_STACKED_MOUNTS && Native.unmount(rootfs); i++) {
        // next
      }
      FileTrees.delete(dir);
    } catch (IOException | NativeException e) {
      throw new SnapshotException(
          "cannot remove the snapshot of container " + id + ": " + e.getMessage());
    }
  }

  /**
   * The layer's shared directory, unpacked now if no image has needed it before (once, however many
   * ask).
   */
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
          // The diff id is checked before the layer is renamed into place: a wrong one never
          // becomes visible.
          LayerUnpacker.unpackNew(
              blob,
              MediaTypes.layerCompression(layer.mediaType()),
              target,
              layer.digest().toString(),
              Whiteouts.OVERLAY,
              diffId,
              limits);
        }
      }
      mine.complete(target);
      return target;
    } catch (LayerException e) {
      throw failed(mine, new SnapshotException(e.getMessage()));
    } catch (IOException | ContentStoreException e) {
      throw failed(mine, new SnapshotException("layer " + layer.digest() + ": " + e.getMessage()));
    } catch (RuntimeException | Error e) {
      // Whatever happened, the others waiting on this layer must hear of it, or they wait for ever.
      failed(mine, new SnapshotException("layer " + layer.digest() + ": " + e));
      throw e;
    } finally {
      unpacking.remove(diffId, mine);
    }
  }

  private static SnapshotException failed(CompletableFuture<Path> future, SnapshotException e) {
    future.completeExceptionally(e);
    return e;
  }

  private void apply(Descriptor layer, Digest diffId, Path rootfs) throws SnapshotException {
    try (InputStream blob = content.open(layer.digest())) {
      LayerUnpacker.Result r =
          LayerUnpacker.unpack(
              blob,
              MediaTypes.layerCompression(layer.mediaType()),
              rootfs,
              layer.digest().toString(),
              Whiteouts.APPLY,
              limits);
      if (!r.diffId().equals(diffId)) {
        throw new SnapshotException(
            "layer "
                + layer.digest()
                + ": uncompressed content has digest "
                + r.diffId()
                + ", the image config says "
                + diffId);
      }
    } catch (LayerException e) {
      throw new SnapshotException(e.getMessage());
    } catch (IOException | ContentStoreException e) {
      throw new SnapshotException("layer " + layer.digest() + ": " + e.getMessage());
    }
  }

  private void removeQuietly(String id) {
    try {
      remove(id);
    } catch (SnapshotException | RuntimeException e) {
      // the prune of debris takes it later
    }
  }
}
