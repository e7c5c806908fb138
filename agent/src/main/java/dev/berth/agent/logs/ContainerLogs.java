package dev.berth.agent.logs;

import dev.berth.agent.images.store.PrivateDirs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The node's container logs: stdout.log and stderr.log in each container's bundle, which the
 * container appends to directly (O_APPEND, so it survives the agent), rotated by size into .1 ...
 * .N (copy, then truncate, as logrotate's copytruncate: lines written between the two steps can be
 * lost).
 */
public final class ContainerLogs {
  public static final List<String> STREAMS = List.of("stdout", "stderr");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

  private final Path bundles;
  private final long maxBytes;
  private final int keep;

  /**
   * {@code bundles}: the directory of container bundles; files rotate past {@code maxBytes}, {@code
   * keep} kept.
   */
  public ContainerLogs(Path bundles, long maxBytes, int keep) {
    this.bundles = bundles;
    this.maxBytes = maxBytes;
    this.keep = keep;
  }

  /** Where a container's stream goes, given its bundle. */
  public static Path file(Path bundle, String stream) {
    return bundle.resolve("logs").resolve(stream + ".log");
  }

  /**
   * Creates the log directory (0700) and files (0640, as kubelet's) before the container writes to
   * them.
   */
  public static void prepare(Path bundle) throws IOException {
    PrivateDirs.create(bundle.resolve("logs"));
    for (String stream : STREAMS) {
      Path f = file(bundle, stream);
      if (!Files.exists(f)) {
        Files.createFile(
            f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
      }
    }
  }

  /**
   * The current file of a container's stream; refuses ids that are not container ids and unknown
   * containers.
   */
  public Path file(String containerId, String stream) throws NoSuchFileException {
    if (!ID.matcher(containerId).matches() || !STREAMS.contains(stream)) {
      throw new IllegalArgumentException(
          "no log \"" + stream + "\" for container \"" + containerId + "\"");
    }
    Path bundle = bundles.resolve(containerId);
    if (!Files.isDirectory(bundle.resolve("logs"))) {
      throw new NoSuchFileException(
          bundle.toString(), null, "no container \"" + containerId + "\" on this node");
    }
    return file(bundle, stream);
  }

  /** Rotates every container's streams that grew past the limit. */
  public void rotateAll() throws IOException {
    if (!Files.isDirectory(bundles)) {
      return;
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(bundles)) {
      for (Path bundle : dirs) {
        for (String stream : STREAMS) {
          Path f = file(bundle, stream);
          try {
            if (Files.size(f) > maxBytes) {
              rotate(f);
            }
          } catch (NoSuchFileException e) {
            // not started yet, or removed meanwhile
          }
        }
      }
    }
  }

  private void rotate(Path f) throws IOException {
    Files.deleteIfExists(rotated(f, keep));
    for (int i = keep - 1; i >= 1; i--) {
      if (Files.exists(rotated(f, i))) {
        Files.move(rotated(f, i), rotated(f, i + 1), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Files.copy(
        f, rotated(f, 1), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
      ch.truncate(0); // the container writes with O_APPEND, so its next line lands at the new end
    }
  }

  static Path rotated(Path f, int n) {
    return f.resolveSibling(f.getFileName() + "." + n);
  }

  /**
   * What a read returned, and how far into the current file it got: where a follower goes on from.
   */
  public record Retained(byte[] bytes, long currentFileEnd) {}

  /**
   * A stream's whole retained log, oldest first (rotated files, then the current one); the last
   * lines only if tail > 0.
   */
  public byte[] read(String containerId, String stream, int tail) throws IOException {
    return retained(containerId, stream, tail).bytes();
  }

  /** As {@link #read}, with the offset in the current file up to which it read. */
  public Retained retained(String containerId, String stream, int tail) throws IOException {
    Path f = file(containerId, stream);
    List<Path> parts = new ArrayList<>();
    for (int i = keep; i >= 1; i--) {
      if (Files.exists(rotated(f, i))) {
        parts.add(rotated(f, i));
      }
    }
    parts.add(f);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long currentEnd = 0;
    for (Path p : parts) {
      try {
        byte[] bytes = Files.readAllBytes(p);
        out.write(bytes);
        currentEnd = bytes.length; // the current file is read last
      } catch (NoSuchFileException e) {
        // rotated away while reading
      }
    }
    byte[] all = out.toByteArray();
    return new Retained(tail > 0 ? lastLines(all, tail) : all, currentEnd);
  }

  static byte[] lastLines(byte[] all, int n) {
    int end = all.length;
    int i = end > 0 && all[end - 1] == '\n' ? end - 1 : end;
    int lines = 0;
    while (i > 0) {
      if (all[i - 1] == '\n' && ++lines == n) {
        break;
      }
      i--;
    }
    return Arrays.copyOfRange(all, i, end);
  }
}
