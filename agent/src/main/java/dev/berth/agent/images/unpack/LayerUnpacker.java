package dev.berth.agent.images.unpack;

import dev.berth.runtime.files.FileTrees;
import com.github.luben.zstd.ZstdInputStream;
import dev.berth.model.image.Digest;
import dev.berth.runtime.libc.Native;
import dev.berth.runtime.libc.NativeException;
import dev.berth.runtime.mounts.RootfsPaths;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Unpacks an image layer (a tar, plain, gzip or zstd) into a directory with everything a tar carries:
 * files, directories, symlinks, hard links, device nodes, fifos, modes, owners, mtimes, xattrs, and the
 * OCI whiteouts. An entry whose path or link target would land outside the directory is refused with the
 * entry and the layer named. {@link #unpackNew} is all or nothing.
 */
public final class LayerUnpacker {
  private static final String WHITEOUT = ".wh.";
  private static final String OPAQUE = ".wh..wh..opq";
  private static final int S_IFCHR = 0020000;
  private static final int S_IFBLK = 0060000;
  private static final int S_IFIFO = 0010000;

  /** What was unpacked; {@code diffId} is the digest of the uncompressed tar, to check against the config. */
  public record Result(long entries, long bytes, Digest diffId) {}

  private final String layer;
  private final Path dir;
  private final Whiteouts whiteouts;
  private final Set<Path> createdHere = new HashSet<>();
  private final List<DirTime> dirTimes = new ArrayList<>();
  private long entries;
  private long bytes;

  private LayerUnpacker(String layer, Path dir, Whiteouts whiteouts) {
    this.layer = layer;
    this.dir = dir;
    this.whiteouts = whiteouts;
  }

  /**
   * Unpacks into a directory that does not exist yet: into a temporary sibling first, renamed into place
   * only when the whole layer went in, so a refused or broken layer leaves nothing.
   */
  public static Result unpackNew(InputStream blob, String compression, Path target, String layer, Whiteouts whiteouts)
      throws LayerException {
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new LayerException("layer " + layer + ": " + target + " already exists");
    }
    Path temp = target.resolveSibling("." + target.getFileName() + ".unpacking-" + UUID.randomUUID());
    try {
      Files.createDirectories(temp);
      Result r = unpack(blob, compression, temp, layer, whiteouts);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      return r;
    } catch (IOException e) {
      deleteTree(temp);
      throw new LayerException("layer " + layer + ": cannot unpack into " + target + ": " + e.getMessage(), e);
    } catch (LayerException | RuntimeException e) {
      deleteTree(temp);
      throw e;
    }
  }

  /** Applies a layer onto an existing directory (which may hold the layers below, in APPLY mode). */
  public static Result unpack(InputStream blob, String compression, Path dir, String layer, Whiteouts whiteouts)
      throws LayerException {
    LayerUnpacker u = new LayerUnpacker(layer, dir, whiteouts);
    MessageDigest sha = Digest.newSha256();
    try (InputStream raw = decompress(new BufferedInputStream(blob, 1 << 16), compression, layer);
        DigestInputStream tarBytes = new DigestInputStream(raw, sha);
        TarArchiveInputStream tar = new TarArchiveInputStream(tarBytes)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        u.apply(entry, tar);
      }
      tarBytes.transferTo(java.io.OutputStream.nullOutputStream()); // the diff id covers the tar's padding too
      u.finishDirectoryTimes();
    } catch (IOException e) {
      throw new LayerException("layer " + layer + ": " + e.getMessage(), e);
    } catch (NativeException e) {
      throw new LayerException("layer " + layer + ": " + e.getMessage(), e);
    }
    return new Result(u.entries, u.bytes, new Digest("sha256", HexFormat.of().formatHex(sha.digest())));
  }

  private static InputStream decompress(InputStream in, String compression, String layer) throws IOException,
      LayerException {
    return switch (compression) {
      case "gzip" -> new GzipCompressorInputStream(in, true);
      case "zstd" -> new ZstdInputStream(in);
      case "none" -> in;
      default -> throw new LayerException("layer " + layer + ": unknown compression \"" + compression + "\"");
    };
  }

  private void apply(TarArchiveEntry entry, InputStream content) throws IOException, LayerException {
    entries++;
    String name = clean(entry.getName(), entry.getName());
    if (name.isEmpty()) {
      return; // the layer's own root: "./"
    }
    int slash = name.lastIndexOf('/');
    String parentName = slash < 0 ? "" : name.substring(0, slash);
    String base = slash < 0 ? name : name.substring(slash + 1);
    Path parent = inside(parentName, entry.getName());
    if (base.equals(OPAQUE)) {
      opaque(parent);
      return;
    }
    if (base.startsWith(WHITEOUT)) {
      whiteout(parent.resolve(base.substring(WHITEOUT.length())), entry.getName());
      return;
    }
    Files.createDirectories(parent);
    Path target = parent.resolve(base);
    replaceExisting(target, entry.isDirectory());
    createdHere.add(target);
    if (entry.isDirectory()) {
      if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectory(target);
      }
    } else if (entry.isSymbolicLink()) {
      Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
    } else if (entry.isLink()) {
      String what = entry.getName() + " (hard link to " + entry.getLinkName() + ")";
      Path linked = inside(clean(entry.getLinkName(), what), what);
      if (!Files.exists(linked, LinkOption.NOFOLLOW_LINKS)) {
        throw new LayerException("layer " + layer + ": entry " + entry.getName() + ": hard link target "
            + entry.getLinkName() + " is not in the layer");
      }
      Files.createLink(target, linked);
      return; // a hard link shares its target's metadata
    } else if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
      int type = entry.isCharacterDevice() ? S_IFCHR : entry.isBlockDevice() ? S_IFBLK : S_IFIFO;
      Native.mknod(target.toString(), type | (entry.getMode() & 07777), entry.getDevMajor(), entry.getDevMinor());
    } else if (entry.isFile()) {
      bytes += Files.copy(content, target);
    } else {
      throw new LayerException("layer " + layer + ": entry " + entry.getName() + ": unsupported tar entry type");
    }
    metadata(entry, target);
  }

  /** Strips "./" and a trailing "/", and refuses what tries to leave the directory by name. */
  private String clean(String raw, String entryName) throws LayerException {
    String name = raw;
    while (name.startsWith("./")) {
      name = name.substring(2);
    }
    if (name.equals(".")) {
      name = "";
    }
    while (name.endsWith("/")) {
      name = name.substring(0, name.length() - 1);
    }
    if (name.startsWith("/")) {
      throw new LayerException("layer " + layer + ": entry " + entryName + ": absolute path refused");
    }
    for (String part : name.split("/")) {
      if (part.equals("..")) {
        throw new LayerException("layer " + layer + ": entry " + entryName + ": path leads out of the target through \"..\"");
      }
    }
    return name;
  }

  /** Resolves a path inside the directory, following symlinks as the container would, refusing an escape. */
  private Path inside(String path, String entryName) throws LayerException {
    if (path.isEmpty()) {
      return dir;
    }
    try {
      return RootfsPaths.resolve(dir, "/" + path);
    } catch (RootfsPaths.EscapeException e) {
      throw new LayerException("layer " + layer + ": entry " + entryName + ": " + e.getMessage());
    }
  }

  private void replaceExisting(Path target, boolean isDirectory) throws IOException {
    if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (isDirectory && Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      return; // a directory over a directory merges
    }
    deleteTree(target);
  }

  private void opaque(Path parent) throws IOException {
    Files.createDirectories(parent);
    if (whiteouts == Whiteouts.OVERLAY) {
      Native.lsetxattr(parent.toString(), "trusted.overlay.opaque", "y".getBytes(StandardCharsets.US_ASCII));
      return;
    }
    try (DirectoryStream<Path> children = Files.newDirectoryStream(parent)) {
      for (Path child : children) {
        if (!createdHere.contains(child)) {
          deleteTree(child); // hidden: it came from a layer below
        }
      }
    }
  }

  private void whiteout(Path victim, String entryName) throws IOException, LayerException {
    if (!victim.startsWith(dir)) {
      throw new LayerException("layer " + layer + ": entry " + entryName + ": whiteout outside the target");
    }
    if (whiteouts == Whiteouts.OVERLAY) {
      Files.createDirectories(victim.getParent());
      deleteTree(victim);
      Native.mknod(victim.toString(), S_IFCHR, 0, 0);
      return;
    }
    deleteTree(victim);
  }

  private void metadata(TarArchiveEntry entry, Path target) throws IOException {
    Files.setAttribute(target, "unix:uid", (int) entry.getLongUserId(), LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(target, "unix:gid", (int) entry.getLongGroupId(), LinkOption.NOFOLLOW_LINKS);
    if (!entry.isSymbolicLink()) {
      // After chown, which clears setuid and setgid bits.
      Files.setAttribute(target, "unix:mode", entry.getMode() & 07777);
    }
    for (Map.Entry<String, String> pax : entry.getExtraPaxHeaders().entrySet()) {
      if (pax.getKey().startsWith("SCHILY.xattr.")) {
        Native.lsetxattr(target.toString(), pax.getKey().substring("SCHILY.xattr.".length()),
            pax.getValue().getBytes(StandardCharsets.ISO_8859_1));
      }
    }
    Instant mtime = entry.getLastModifiedDate().toInstant();
    if (entry.isDirectory()) {
      dirTimes.add(new DirTime(target, mtime)); // set last: adding children changes a directory's mtime
    } else {
      Native.setTimes(target.toString(), mtime.getEpochSecond(), mtime.getNano());
    }
  }

  /** A directory's mtime, applied once all of the layer is in. */
  private record DirTime(Path dir, Instant mtime) {}

  private void finishDirectoryTimes() {
    for (DirTime d : dirTimes) {
      if (Files.isDirectory(d.dir(), LinkOption.NOFOLLOW_LINKS)) {
        Native.setTimes(d.dir().toString(), d.mtime().getEpochSecond(), d.mtime().getNano());
      }
    }
  }

  private static void deleteTree(Path p) {
    try {
      FileTrees.delete(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
