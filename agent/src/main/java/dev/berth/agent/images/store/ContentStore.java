package dev.berth.agent.images.store;

import dev.berth.model.JsonMapping;
import dev.berth.model.image.Descriptor;
import dev.berth.model.image.Digest;
import dev.berth.model.image.ImageIndex;
import dev.berth.model.image.Manifest;
import dev.berth.model.image.MediaTypes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

/**
 * Blobs addressed by digest, as an OCI image layout lays them out ({@code blobs/sha256/<hex>}). A
 * blob is written to {@code ingest/}, verified against its digest and size while it streams,
 * fsynced, then renamed into place, so a blob that is present is always complete and correct.
 * Concurrent ingests of one digest are done once; a broken download leaves a partial file that the
 * next ingest resumes.
 */
public final class ContentStore {
  private static final int BUFFER = 1 << 16;

  private final Path root;
  private final ConcurrentHashMap<Digest, CompletableFuture<Path>> inflight =
      new ConcurrentHashMap<>();

  public ContentStore(Path root) throws IOException {
    this.root = root;
    // 0700, as containerd keeps its content: layers may hold setuid binaries and device nodes.
    PrivateDirs.create(root);
    Files.createDirectories(root.resolve("blobs"));
    Files.createDirectories(root.resolve("ingest"));
  }

  public Path root() {
    return root;
  }

  public Path path(Digest digest) {
    return root.resolve("blobs").resolve(digest.algorithm()).resolve(digest.encoded());
  }

  public boolean has(Digest digest) {
    return Files.isRegularFile(path(digest));
  }

  public byte[] read(Digest digest) throws ContentStoreException {
    try {
      return Files.readAllBytes(path(digest));
    } catch (IOException e) {
      throw new ContentStoreException(
          "blob " + digest + " is not in the store " + root + ": " + e.getMessage(), e);
    }
  }

  public InputStream open(Digest digest) throws ContentStoreException {
    try {
      return Files.newInputStream(path(digest));
    } catch (IOException e) {
      throw new ContentStoreException(
          "blob " + digest + " is not in the store " + root + ": " + e.getMessage(), e);
    }
  }

  /** Stores content whose digest is computed here (manifests, configs made locally). */
  public Digest put(byte[] content) throws ContentStoreException {
    Digest digest = Digest.sha256(content);
    ingest(
        digest,
        content.length,
        offset -> new ByteArrayInputStream(content, (int) offset, content.length - (int) offset));
    return digest;
  }

  /** Size in bytes of the part of an interrupted ingest that is kept for resuming, 0 when none. */
  public long partialSize(Digest digest) {
    try {
      Path p = partialPath(digest);
      return Files.exists(p) ? Files.size(p) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  private Path partialPath(Digest digest) {
    return root.resolve("ingest").resolve(digest.algorithm() + "-" + digest.encoded() + ".partial");
  }

  /**
   * Makes sure the blob is in the store, reading it from {@code source} if needed, and returns its
   * path. The bytes must hash to {@code digest} and number exactly {@code size}; otherwise nothing
   * is stored.
   */
  public Path ingest(Digest digest, long size, BlobSource source) throws ContentStoreException {
    Path target = path(digest);
    if (Files.isRegularFile(target)) {
      return target;
    }
    CompletableFuture<Path> mine = new CompletableFuture<>();
    CompletableFuture<Path> running = inflight.putIfAbsent(digest, mine);
    if (running != null) {
      return await(digest, running); // another thread is fetching the same blob: share its result
    }
    try {
      Path done = doIngest(digest, size, source, target);
      mine.complete(done);
      return done;
    } catch (ContentStoreException | RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inflight.remove(digest, mine);
    }
  }

  private static Path await(Digest digest, CompletableFuture<Path> running)
      throws ContentStoreException {
    try {
      return running.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ContentStoreException c) {
        throw c;
      }
      throw new ContentStoreException("blob " + digest + ": " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ContentStoreException("interrupted waiting for blob " + digest);
    }
  }

  private Path doIngest(Digest digest, long size, BlobSource source, Path target)
      throws ContentStoreException {
    Path partial = partialPath(digest);
    MessageDigest hasher = digest.newHasher();
    long offset = 0;
    try (FileChannel out =
        FileChannel.open(
            partial,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.READ)) {
      offset = out.size();
      if (offset > size) {
        out.truncate(0);
        offset = 0;
      }
      if (offset > 0) {
        hashExisting(out, offset, hasher);
      }
      out.position(offset);
      long total = offset;
      try (InputStream in = source.openFrom(offset)) {
        byte[] buf = new byte[BUFFER];
        OutputStream sink = Channels.newOutputStream(out);
        int n;
        while ((n = in.read(buf)) > 0) {
          total += n;
          if (total > size) {
            throw new SizeMismatch(
                "blob " + digest + ": more than the " + size + " bytes its descriptor gives");
          }
          hasher.update(buf, 0, n);
          sink.write(buf, 0, n);
        }
      }
      if (total != size) {
        throw new SizeMismatch(
            "blob " + digest + ": got " + total + " bytes, its descriptor gives " + size);
      }
      if (!digest.matches(hasher)) {
        throw new SizeMismatch(
            "blob " + digest + ": content does not match its digest (corrupted)");
      }
      out.force(true);
    } catch (SizeMismatch e) {
      deleteQuietly(partial);
      throw new ContentStoreException(e.getMessage());
    } catch (IOException e) {
      // Kept: the next ingest of this digest resumes from what arrived.
      throw new TransferInterruptedException(
          "blob "
              + digest
              + ": transfer broke off after "
              + partialSize(digest)
              + " of "
              + size
              + " bytes: "
              + e.getMessage(),
          e);
    }
    try {
      Files.createDirectories(target.getParent());
      try {
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(partial, target);
      }
      return target;
    } catch (IOException e) {
      deleteQuietly(partial);
      throw new ContentStoreException(
          "blob " + digest + ": cannot move into " + target + ": " + e.getMessage(), e);
    }
  }

  private static void hashExisting(FileChannel ch, long length, MessageDigest hasher)
      throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(BUFFER);
    long pos = 0;
    while (pos < length) {
      buf.clear();
      int n = ch.read(buf, pos);
      if (n <= 0) {
        break;
      }
      buf.flip();
      hasher.update(buf);
      pos += n;
    }
  }

  /** Wrong size or digest: the partial file is worthless and removed. */
  private static final class SizeMismatch extends IOException {
    SizeMismatch(String message) {
      super(message);
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // nothing more to do
    }
  }

  /** What garbage collection removed and kept, and the abandoned partial downloads it removed. */
  public record GcResult(Set<Digest> removed, Set<Digest> kept, List<String> partialsRemoved) {}

  /** The largest manifest or index read, as registries cap them (distribution's 4 MiB). */
  public static final long MAX_MANIFEST_BYTES = 4L << 20;

  /**
   * A partial download untouched this long is abandoned; younger ones may still be resumed by a
   * pull.
   */
  private static final Duration ABANDONED = Duration.ofHours(1);

  /**
   * Removes every blob not reachable from {@code roots} (manifests or indexes that images still
   * name): an index keeps its manifests, a manifest its config and layers. Only manifests and
   * indexes are read, never a layer. Partial downloads abandoned for an hour go too.
   */
  public GcResult gc(Set<Digest> roots) throws ContentStoreException {
    Set<Digest> live = new HashSet<>();
    Deque<Node> todo = new ArrayDeque<>();
    roots.forEach(d -> todo.push(new Node(d, true)));
    while (!todo.isEmpty()) {
      Node n = todo.pop();
      if (!live.add(n.digest()) || !has(n.digest()) || !n.mayHaveChildren()) {
        continue;
      }
      for (Descriptor child : children(n.digest())) {
        String type = child.mediaType();
        todo.push(
            new Node(
                child.digest(),
                type == null || MediaTypes.isIndex(type) || MediaTypes.isManifest(type)));
      }
    }
    Set<Digest> removed = new HashSet<>();
    for (Digest d : all()) {
      if (!live.contains(d)) {
        try {
          Files.deleteIfExists(path(d));
          removed.add(d);
        } catch (IOException e) {
          throw new ContentStoreException("gc: cannot remove blob " + d + ": " + e.getMessage(), e);
        }
      }
    }
    live.removeIf(d -> !has(d));
    return new GcResult(removed, live, removeAbandonedPartials());
  }

  /**
   * A blob met while walking from the roots; only manifests and indexes are read for what they
   * name.
   */
  private record Node(Digest digest, boolean mayHaveChildren) {}

  private List<String> removeAbandonedPartials() throws ContentStoreException {
    List<String> out = new ArrayList<>();
    Instant cutoff = Instant.now().minus(ABANDONED);
    try (Stream<Path> files = Files.list(root.resolve("ingest"))) {
      for (Path f : files.toList()) {
        if (Files.getLastModifiedTime(f).toInstant().isBefore(cutoff) && !inflightFile(f)) {
          Files.deleteIfExists(f);
          out.add(f.getFileName().toString());
        }
      }
    } catch (IOException e) {
      throw new ContentStoreException(
          "gc: cannot clean " + root.resolve("ingest") + ": " + e.getMessage(), e);
    }
    return out;
  }

  private boolean inflightFile(Path f) {
    return inflight.keySet().stream().anyMatch(d -> partialPath(d).equals(f));
  }

  /** The blobs a manifest or index refers to; none for anything else. */
  private List<Descriptor> children(Digest d) throws ContentStoreException {
    try {
      if (Files.size(path(d)) > MAX_MANIFEST_BYTES) {
        return List.of(); // larger than any manifest is allowed to be: a leaf
      }
      var node = JsonMapping.mapper().readTree(read(d));
      String mediaType = node.path("mediaType").asText("");
      if (MediaTypes.isIndex(mediaType) || (mediaType.isEmpty() && node.has("manifests"))) {
        ImageIndex index = JsonMapping.mapper().treeToValue(node, ImageIndex.class);
        return index.manifests() == null ? List.of() : index.manifests();
      }
      if (MediaTypes.isManifest(mediaType) || (mediaType.isEmpty() && node.has("layers"))) {
        Manifest m = JsonMapping.mapper().treeToValue(node, Manifest.class);
        List<Descriptor> out = new ArrayList<>(m.layers() == null ? List.of() : m.layers());
        if (m.config() != null) {
          out.add(m.config());
        }
        return out;
      }
    } catch (IOException e) {
      // not JSON: a leaf blob
    }
    return List.of();
  }

  /** Every blob in the store. */
  public Set<Digest> all() throws ContentStoreException {
    Set<Digest> out = new HashSet<>();
    Path blobs = root.resolve("blobs");
    try (Stream<Path> algs = Files.list(blobs)) {
      for (Path alg : algs.toList()) {
        try (Stream<Path> files = Files.list(alg)) {
          for (Path f : files.toList()) {
            out.add(new Digest(alg.getFileName().toString(), f.getFileName().toString()));
          }
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new ContentStoreException("cannot list blobs in " + blobs + ": " + e.getMessage(), e);
    }
    return out;
  }
}
