package dev.berth.agent.images.build;

import dev.berth.agent.images.ImageStore;
import dev.berth.agent.images.store.ContentStoreException;
import dev.berth.model.JsonMapping;
import dev.berth.model.image.ContainerConfig;
import dev.berth.model.image.Descriptor;
import dev.berth.model.image.Digest;
import dev.berth.model.image.History;
import dev.berth.model.image.ImageConfig;
import dev.berth.model.image.ImageReference;
import dev.berth.model.image.Manifest;
import dev.berth.model.image.MediaTypes;
import dev.berth.model.image.RootFs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Builds a one-layer OCI image from a directory (`berth image build`), so demos and tests need no
 * image hub.
 */
public final class ImageBuilder {
  private final ImageStore images;

  public ImageBuilder(ImageStore images) {
    this.images = images;
  }

  /** A built image: its manifest's descriptor and its (top) layer's digests. */
  public record Built(Descriptor manifest, Digest layer, Digest diffId) {}

  /**
   * One layer in the store: the digest of its gzip blob, of its tar (the diff id), and the blob's
   * size.
   */
  private record Layer(Digest digest, Digest diffId, long size) {}

  /**
   * Builds a one-layer image from a directory, or from a tarball (plain or gzip) used as the layer.
   */
  public Built build(Path source, BuildOptions options, ImageReference name)
      throws IOException, ContentStoreException {
    return build(List.of(source), options, name);
  }

  /** Builds an image with one layer per source, bottom first. */
  public Built build(List<Path> sources, BuildOptions options, ImageReference name)
      throws IOException, ContentStoreException {
    List<Layer> layers = new ArrayList<>();
    for (Path source : sources) {
      if (Files.isDirectory(source)) {
        layers.add(layerFromDirectory(source));
      } else if (Files.isRegularFile(source)) {
        layers.add(layerFromTarball(source));
      } else {
        throw new IOException("cannot build from " + source + ": not a directory or a tarball");
      }
    }
    String now = Instant.now().toString();
    Map<String, Object> ports = new LinkedHashMap<>();
    options.exposedPorts().forEach(p -> ports.put(p.contains("/") ? p : p + "/tcp", Map.of()));
    ContainerConfig cc =
        new ContainerConfig(
            options.user(),
            ports.isEmpty() ? null : ports,
            options.env(),
            options.entrypoint(),
            options.cmd(),
            null,
            options.workingDir(),
            options.labels().isEmpty() ? null : options.labels(),
            null,
            null);
    ImageConfig config =
        new ImageConfig(
            now,
            null,
            "amd64",
            "linux",
            null,
            null,
            cc,
            new RootFs("layers", layers.stream().map(Layer::diffId).toList(), null),
            sources.stream()
                .map(s -> new History(now, "berth image build " + s, null, null, null, null))
                .toList(),
            null);
    byte[] configBytes = JsonMapping.mapper().writeValueAsBytes(config);
    Digest configDigest = images.content().put(configBytes);
    Manifest manifest =
        new Manifest(
            2,
            MediaTypes.OCI_MANIFEST,
            null,
            new Descriptor(
                MediaTypes.OCI_CONFIG,
                configDigest,
                (long) configBytes.length,
                null,
                null,
                null,
                null,
                null,
                null),
            layers.stream()
                .map(
                    l ->
                        new Descriptor(
                            MediaTypes.OCI_LAYER_GZIP,
                            l.digest(),
                            l.size(),
                            null,
                            null,
                            null,
                            null,
                            null,
                            null))
                .toList(),
            null,
            null,
            null);
    byte[] manifestBytes = JsonMapping.mapper().writeValueAsBytes(manifest);
    Digest manifestDigest = images.content().put(manifestBytes);
    Descriptor descriptor =
        Descriptor.of(MediaTypes.OCI_MANIFEST, manifestDigest, manifestBytes.length);
    images.tag(name, descriptor);
    Layer top = layers.get(layers.size() - 1);
    return new Built(descriptor, top.digest(), top.diffId());
  }

  private Layer layerFromDirectory(Path dir) throws IOException, ContentStoreException {
    Path tmp = Files.createTempFile(images.content().root().resolve("ingest"), "build-", ".tar.gz");
    try {
      MessageDigest compressed = Digest.newSha256();
      MessageDigest uncompressed = Digest.newSha256();
      try (OutputStream file = Files.newOutputStream(tmp);
          DigestOutputStream c = new DigestOutputStream(file, compressed);
          GzipCompressorOutputStream gz = new GzipCompressorOutputStream(c);
          DigestOutputStream u = new DigestOutputStream(gz, uncompressed);
          TarArchiveOutputStream tar = new TarArchiveOutputStream(u)) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        writeTree(dir, tar);
      }
      return ingest(tmp, compressed, uncompressed);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** A tarball becomes the layer as it is: gzip kept, a plain tar compressed. */
  private Layer layerFromTarball(Path tarball) throws IOException, ContentStoreException {
    boolean gzip;
    try (InputStream in = Files.newInputStream(tarball)) {
      gzip = in.read() == 0x1f && in.read() == 0x8b;
    }
    Path tmp = Files.createTempFile(images.content().root().resolve("ingest"), "build-", ".tar.gz");
    try {
      MessageDigest compressed = Digest.newSha256();
      MessageDigest uncompressed = Digest.newSha256();
      if (gzip) {
        Files.copy(tarball, tmp, StandardCopyOption.REPLACE_EXISTING);
        try (InputStream in =
            new DigestInputStream(
                new GzipCompressorInputStream(Files.newInputStream(tmp), true), uncompressed)) {
          in.transferTo(OutputStream.nullOutputStream());
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(tmp), compressed)) {
          in.transferTo(OutputStream.nullOutputStream());
        }
      } else {
        try (OutputStream file = Files.newOutputStream(tmp);
            DigestOutputStream c = new DigestOutputStream(file, compressed);
            GzipCompressorOutputStream gz = new GzipCompressorOutputStream(c);
            DigestOutputStream u = new DigestOutputStream(gz, uncompressed)) {
          Files.copy(tarball, u);
        }
      }
      return ingest(tmp, compressed, uncompressed);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private Layer ingest(Path blob, MessageDigest compressed, MessageDigest uncompressed)
      throws IOException, ContentStoreException {
    Digest digest = new Digest("sha256", HexFormat.of().formatHex(compressed.digest()));
    Digest diffId = new Digest("sha256", HexFormat.of().formatHex(uncompressed.digest()));
    long size = Files.size(blob);
    images.content().ingest(digest, size, offset -> skip(Files.newInputStream(blob), offset));
    return new Layer(digest, diffId, size);
  }

  private static InputStream skip(InputStream in, long offset) throws IOException {
    in.skipNBytes(offset);
    return in;
  }

  /** Writes the tree in sorted order, keeping modes, owners, mtimes and symlinks. */
  private static void writeTree(Path root, TarArchiveOutputStream tar) throws IOException {
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(root)) {
      paths = walk.filter(p -> !p.equals(root)).sorted().toList();
    }
    for (Path p : paths) {
      String name = root.relativize(p).toString();
      boolean regular = false;
      TarArchiveEntry e;
      if (Files.isSymbolicLink(p)) {
        e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
        e.setLinkName(Files.readSymbolicLink(p).toString());
      } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        e = new TarArchiveEntry(name + "/");
      } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        e = new TarArchiveEntry(name);
        e.setSize(Files.size(p));
        regular = true;
      } else {
        continue; // sockets and device nodes do not belong in a built layer
      }
      e.setMode((int) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777);
      e.setUserId((int) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS));
      e.setGroupId((int) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS));
      e.setModTime(Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis());
      tar.putArchiveEntry(e);
      if (regular) {
        Files.copy(p, tar);
      }
      tar.closeArchiveEntry();
    }
  }
}
