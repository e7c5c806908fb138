package dev.berth.agent.images.unpack;

import com.github.luben.zstd.ZstdInputStream;
import dev.berth.model.image.Digest;
import dev.berth.runtime.files.FileTrees;
import dev.berth.runtime.libc.Native;
import dev.berth.runtime.libc.NativeException;
import dev.berth.runtime.mounts.RootfsPaths;
import dev.berth.runtime.userns.HostUserNamespace;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
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
 * Unpacks an image layer (a tar, plain, gzip or zstd) into a directory with everything a tar
 * carries: files, directories, symlinks, hard links, device nodes, fifos, modes, owners, mtimes,
 * xattrs, and the OCI whiteouts. An entry whose path or link target would land outside the
 * directory is refused with the entry and the layer named. {@link #unpackNew} is all or nothing.
 */
public final class LayerUnpacker {
  private static final String WHITEOUT = ".wh.";
  private static final String OPAQUE = ".wh..wh..opq";
  private static final int S_IFCHR = 0020000;
  private static final int S_IFBLK = 0060000;
  private static final int S_IFIFO = 0010000;

  /**
   * What was unpacked; {@code diffId} is the digest of the uncompressed tar, to check against the
   * config.
   */
  public record Result(long entries, long bytes, Digest diffId) {}

  private final String layer;
  private final Path dir;
  private final Whiteouts whiteouts;
  private final Set<Path> createdHere = new HashSet<>();
  private final List<DirTime> dirTimes = new ArrayList<>();
  private long entries;
  private long bytes;
  private String currentEntry;

  private LayerUnpacker(String layer, Path dir, Whiteouts whiteouts) {
    this.layer = layer;
    this.dir = dir;
    this.whiteouts = whiteouts;
  }

  /**
   * Unpacks into a directory that does not exist yet: into a temporary sibling first, renamed into
   * place only when the whole layer went in, so a refused or broken layer leaves nothing.
   */
  public static Result unpackNew(
      InputStream blob, String compression, Path target, String layer, Whiteouts whiteouts)
      throws LayerException {
    return unpackNew(blob, compression, target, layer, whiteouts, null, UnpackLimits.DEFAULT);
  }

  /**
   * As above, also checking the uncompressed digest against {@code expectedDiffId} (when given)
   * before the layer is put in place, and stopping at the first limit passed. Whatever goes wrong,
   * even an Error, the temporary directory is removed.
   */
  public static Result unpackNew(
      InputStream blob,
      String compression,
      Path target,
      String layer,
      Whiteouts whiteouts,
      Digest expectedDiffId,
      UnpackLimits limits)
      throws LayerException {
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new LayerException("layer " + layer + ": " + target + " already exists");
    }
    Path temp =
        target.resolveSibling(UNPACKING_PREFIX + target.getFileName() + "-" + UUID.randomUUID());
    boolean done = false;
    try {
      Files.createDirectories(temp);
      Result r = unpack(blob, compression, temp, layer, whiteouts, limits);
      if (expectedDiffId != null && !r.diffId().equals(expectedDiffId)) {
        throw new LayerException(
            "layer "
                + layer
                + ": uncompressed content has digest "
                + r.diffId()
                + ", the image config says "
                + expectedDiffId);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      done = true;
      return r;
    } catch (IOException e) {
      throw new LayerException(
          "layer " + layer + ": cannot unpack into " + target + ": " + e.getMessage(), e);
    } finally {
      if (!done) {
        deleteQuietly(temp);
      }
    }
  }

  /**
   * The name prefix of a layer being unpacked; what is left with it after a crash is debris to
   * prune.
   */
  public static final String UNPACKING_PREFIX = ".unpacking-";

  /**
   * Applies a layer onto an existing directory (which may hold the layers below, in APPLY mode).
   */
  public static Result unpack(
      InputStream blob, String compression, Path dir, String layer, Whiteouts whiteouts)
      throws LayerException {
    return unpack(blob, compression, dir, layer, whiteouts, UnpackLimits.DEFAULT);
  }

  public static Result unpack(
      InputStream blob,
      String compression,
      Path dir,
      String layer,
      Whiteouts whiteouts,
      UnpackLimits limits)
      throws LayerException {
    LayerUnpacker u = new LayerUnpacker(layer, dir, whiteouts);
    MessageDigest sha = Digest.newSha256();
    GuardedLayerStream guard = new GuardedLayerStream(limits);
    try (InputStream raw =
            guard.expanded(
                decompress(
                    new BufferedInputStream(guard.compressed(blob), 1 << 16), compression, layer));
        DigestInputStream tarBytes = new DigestInputStream(raw, sha);
        TarArchiveInputStream tar = new TarArchiveInputStream(guard.headers(tarBytes))) {
      TarArchiveEntry entry = null;
      while (true) {
        if (entry != null) {
          tar.transferTo(
              OutputStream.nullOutputStream()); // what an entry carried and was not read, counted
        }
        guard.beginHeader();
        entry = tar.getNextEntry();
        guard.endHeader();
        if (entry == null) {
          break;
        }
        u.apply(entry, tar);
      }
      tarBytes.transferTo(
          OutputStream.nullOutputStream()); // the diff id covers the tar's padding too
      u.finishDirectoryTimes();
    } catch (IOException | UncheckedIOException e) {
      Throwable cause = e instanceof UncheckedIOException ? e.getCause() : e;
      throw new LayerException("layer " + layer + ": " + u.current() + cause.getMessage(), cause);
    } catch (NativeException e) {
      throw new LayerException("layer " + layer + ": " + u.current() + e.getMessage(), e);
    }
    return new Result(
        u.entries, u.bytes, new Digest("sha256", HexFormat.of().formatHex(sha.digest())));
  }

  /** "entry NAME: " for the entry being applied, so an error names it once. */
  private String current() {
    return currentEntry == null ? "" : "entry " + describe(currentEntry) + ": ";
  }

  /** An entry's name for a message: long ones shortened, with their length. */
  static String describe(String name) {
    return name.length() <= 160
        ? name
        : name.substring(0, 120) + "... (" + name.length() + " characters)";
  }

  private static InputStream decompress(InputStream in, String compression, String layer)
      throws IOException, LayerException {
    return switch (compression) {
      case "gzip" -> new GzipCompressorInputStream(in, true);
      case "zstd" -> new ZstdInputStream(in);
      case "none" -> in;
      default ->
          throw new LayerException(
              "layer " + layer + ": unknown compression \"" + compression + "\"");
    };
  }

  private void apply(TarArchiveEntry entry, InputStream content)
      throws IOException, LayerException {
    entries++;
    currentEntry = entry.getName();
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
      whiteout(parent, base.substring(WHITEOUT.length()), entry.getName());
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
      String linkName = clean(entry.getLinkName(), what);
      int ls = linkName.lastIndexOf('/');
      // The link's own last name is not followed: a hard link to a symlink links the symlink, as
      // tar does.
      Path linked =
          ls < 0
              ? dir.resolve(linkName)
              : inside(linkName.substring(0, ls), what).resolve(linkName.substring(ls + 1));
      if (linkName.isEmpty() || !Files.exists(linked, LinkOption.NOFOLLOW_LINKS)) {
        throw new LayerException(
            "layer "
                + layer
                + ": entry "
                + describe(entry.getName())
                + ": hard link target "
                + describe(entry.getLinkName())
                + " does not exist in the layer (yet)");
      }
      Files.createLink(target, linked);
      return; // a hard link shares its target's metadata
    } else if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
      int type = entry.isCharacterDevice() ? S_IFCHR : entry.isBlockDevice() ? S_IFBLK : S_IFIFO;
      Native.mknod(
          target.toString(),
          type | (entry.getMode() & 07777),
          entry.getDevMajor(),
          entry.getDevMinor());
    } else if (entry.isFile()) {
      bytes += Files.copy(content, target);
    } else {
      throw new LayerException(
          "layer "
              + layer
              + ": entry "
              + describe(entry.getName())
              + ": unsupported tar entry type");
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
      throw new LayerException(
          "layer " + layer + ": entry " + describe(entryName) + ": absolute path refused");
    }
    if (name.length() > 4096) {
      throw new LayerException(
          "layer "
              + layer
              + ": entry "
              + describe(entryName)
              + ": the path is longer than 4096 bytes (ENAMETOOLONG)");
    }
    for (String part : name.split("/")) {
      if (part.equals("..")) {
        throw new LayerException(
            "layer "
                + layer
                + ": entry "
                + describe(entryName)
                + ": path leads out of the target through \"..\"");
      }
      if (part.getBytes(StandardCharsets.UTF_8).length > 255) {
        throw new LayerException(
            "layer "
                + layer
                + ": entry "
                + describe(entryName)
                + ": a name in the path is longer than 255 bytes (ENAMETOOLONG)");
      }
    }
    return name;
  }

  /**
   * Resolves a path inside the directory, following symlinks as the container would, refusing an
   * escape.
   */
  private Path inside(String path, String entryName) throws LayerException {
    if (path.isEmpty()) {
      return dir;
    }
    try {
      return RootfsPaths.resolve(dir, "/" + path);
    } catch (RootfsPaths.EscapeException e) {
      throw new LayerException(
          "layer " + layer + ": entry " + describe(entryName) + ": " + e.getMessage());
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
      Native.lsetxattr(
          parent.toString(), "trusted.overlay.opaque", "y".getBytes(StandardCharsets.US_ASCII));
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

  /**
   * Removes {@code name} from {@code parent} (or marks it removed for overlayfs). The name must be
   * one plain entry: ".wh.", ".wh..", ".wh..." or a name with a "/" would otherwise point at the
   * parent itself or above.
   */
  private void whiteout(Path parent, String name, String entryName)
      throws IOException, LayerException {
    if (name.isEmpty()
        || name.equals(".")
        || name.equals("..")
        || name.contains("/")
        || name.contains("\0")) {
      throw new LayerException(
          "layer "
              + layer
              + ": entry "
              + describe(entryName)
              + ": a whiteout must name one file or directory, not \""
              + name
              + "\"");
    }
    Path victim = parent.resolve(name);
    if (!victim.normalize().startsWith(dir) || victim.normalize().equals(dir)) {
      throw new LayerException(
          "layer " + layer + ": entry " + describe(entryName) + ": whiteout outside the target");
    }
    if (whiteouts == Whiteouts.OVERLAY) {
      Files.createDirectories(parent);
      deleteTree(victim);
      Native.mknod(victim.toString(), S_IFCHR, 0, 0);
      return;
    }
    deleteTree(victim);
  }

  /**
   * chown, as tar does. In a user namespace that lacks the id (a rootless agent with fewer ids than
   * the image uses) the file stays root's, as Podman's ignore_chown_errors; on the host it fails.
   */
  private static void owner(Path target, String attribute, long id) throws IOException {
    try {
      Files.setAttribute(target, attribute, (int) id, LinkOption.NOFOLLOW_LINKS);
    } catch (java.nio.file.FileSystemException e) {
      if (HostUserNamespace.isInitial() || !"Invalid argument".equals(e.getReason())) {
        throw e;
      }
    }
  }

  private void metadata(TarArchiveEntry entry, Path target) throws IOException {
    owner(target, "unix:uid", entry.getLongUserId());
    owner(target, "unix:gid", entry.getLongGroupId());
    if (!entry.isSymbolicLink()) {
      // After chown, which clears setuid and setgid bits.
      Files.setAttribute(target, "unix:mode", entry.getMode() & 07777);
    }
    for (Map.Entry<String, String> pax : entry.getExtraPaxHeaders().entrySet()) {
      if (pax.getKey().startsWith("SCHILY.xattr.")) {
        Native.lsetxattr(
            target.toString(),
            pax.getKey().substring("SCHILY.xattr.".length()),
            pax.getValue().getBytes(StandardCharsets.ISO_8859_1));
      }
    }
    Instant mtime = entry.getLastModifiedDate().toInstant();
    if (entry.isDirectory()) {
      dirTimes.add(
          new DirTime(target, mtime)); // set last: adding children changes a directory's mtime
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

  private static void deleteQuietly(Path p) {
    try {
      FileTrees.delete(p);
    } catch (IOException | RuntimeException e) {
      // best effort: a leftover ".unpacking-" directory is pruned later
    }
  }

  private static void deleteTree(Path p) {
    try {
      FileTrees.delete(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
