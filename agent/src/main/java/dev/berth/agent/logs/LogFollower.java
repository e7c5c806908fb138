package dev.berth.agent.logs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * Follows one log file as `tail -F` does across copytruncate rotation: when the file shrank, the
 * bytes after the last read position are taken from the copy (.1) first. Blocking reads: call from
 * a worker.
 */
public final class LogFollower {
  private static final int MAX_CHUNK = 1 << 20;
  private final Path file;
  private long position;
  private Object rotation;

  /** Starts at the file's current end: only what is written from now on is followed. */
  public LogFollower(Path file) throws IOException {
    this(file, Files.size(file));
  }

  /**
   * Goes on from {@code position} in the file: right after what a read of the retained log
   * returned.
   */
  public LogFollower(Path file, long position) throws IOException {
    this.file = file;
    this.position = position;
    this.rotation = rotationStamp();
  }

  /**
   * Identifies the newest rotated copy: it changes with every rotation, even when the truncated
   * file has already grown past the old read position again.
   */
  private Object rotationStamp() throws IOException {
    Path copy = ContainerLogs.rotated(file, 1);
    try {
      BasicFileAttributes a = Files.readAttributes(copy, BasicFileAttributes.class);
      return List.of(String.valueOf(a.fileKey()), a.lastModifiedTime(), a.size());
    } catch (NoSuchFileException e) {
      return List.of();
    }
  }

  /** What was written since the last call (empty when nothing), or null once the file is gone. */
  public byte[] poll() throws IOException {
    long size;
    try {
      size = Files.size(file);
    } catch (NoSuchFileException e) {
      return null;
    }
    Object stamp = rotationStamp();
    if (!stamp.equals(rotation)
        && size >= position
        && size >= sizeOrZero(ContainerLogs.rotated(file, 1))) {
      return new byte[0]; // copied but not yet truncated: the next poll sees the rotation whole
    }
    if (size < position || !stamp.equals(rotation)) {
      rotation = stamp;
      Path copy = ContainerLogs.rotated(file, 1);
      byte[] tail = Files.exists(copy) ? readFrom(copy, position) : new byte[0];
      position = 0;
      byte[] fresh = readFrom(file, 0);
      position = fresh.length;
      byte[] both = new byte[tail.length + fresh.length];
      System.arraycopy(tail, 0, both, 0, tail.length);
      System.arraycopy(fresh, 0, both, tail.length, fresh.length);
      return both;
    }
    byte[] next = readFrom(file, position);
    position += next.length;
    return next;
  }

  private static long sizeOrZero(Path f) throws IOException {
    try {
      return Files.size(f);
    } catch (NoSuchFileException e) {
      return 0;
    }
  }

  private static byte[] readFrom(Path f, long offset) throws IOException {
    try (InputStream in = Files.newInputStream(f)) {
      in.skipNBytes(Math.min(offset, Files.size(f)));
      return in.readNBytes(MAX_CHUNK);
    } catch (NoSuchFileException e) {
      return new byte[0];
    }
  }
}
