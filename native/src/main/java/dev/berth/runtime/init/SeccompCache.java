package dev.berth.runtime.init;

import dev.berth.model.JsonMapping;
import dev.berth.model.runtime.Seccomp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where berth-init keeps the BPF it compiled from a seccomp profile, so the next container with the
 * same profile loads it instead of compiling it again (libseccomp takes ~9 ms for Docker's default
 * profile on three architectures). A file is named by the digest of the profile and of the
 * berth-init binary (which links libseccomp), so a changed profile or a rebuilt helper never meets
 * an old filter. The directory is the runtime's own (0700, root): no container can reach it.
 */
public final class SeccompCache {
  /**
   * Distinct profiles kept (each file is under 32 KiB); past that, those unused for {@link #IDLE}
   * go (berth-init touches a file when it loads one last touched over a minute ago, and a create
   * that found one reads it within milliseconds).
   */
  static final int MAX_FILES = 256;

  static final java.time.Duration IDLE = java.time.Duration.ofMinutes(10);

  private final Path dir;

  public SeccompCache(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  /** Where a profile's filter is kept, and whether it is there already (compiled before). */
  record Entry(Path file, boolean compiled) {}

  /** The entry for {@code seccomp}'s compiled filter; null when none can be kept. */
  Entry entryFor(Seccomp seccomp) {
    try {
      String key = key(seccomp);
      if (key == null) {
        return null;
      }
      Path file = dir.resolve(key + ".bpf");
      try {
        // One stat answers both: is it there, and is it a plain file (not a link planted there).
        if (Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
            .isRegularFile()) {
          return new Entry(file, true);
        }
      } catch (java.nio.file.NoSuchFileException e) {
        prepareDir();
      }
      return new Entry(file, false);
    } catch (IOException e) {
      return null; // berth-init compiles it every time: slower, as safe
    }
  }

  /**
   * The runtime's copy of {@code seccomp} (JSON, 0600), written the first time it is asked for;
   * null when none can be kept. Containers hard-link it beside their state, so a copy pruned here
   * stays theirs.
   */
  public Path profileFile(Seccomp seccomp) throws IOException {
    String key = key(seccomp);
    if (key == null) {
      return null;
    }
    Path file = dir.resolve(key + ".json");
    if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return file;
    }
    prepareDir();
    // Written aside and renamed: a concurrent create links either nothing or the whole file.
    Path tmp = Files.createTempFile(dir, key, ".tmp");
    try {
      Files.write(tmp, JsonMapping.writeCompact(seccomp).getBytes(StandardCharsets.UTF_8));
      Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return file;
  }

  private void prepareDir() throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      return;
    }
    try (Stream<Path> files = Files.list(dir)) {
      if (files.count() < MAX_FILES) {
        return;
      }
    }
    long cutoff = System.currentTimeMillis() - IDLE.toMillis();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        if (Files.getLastModifiedTime(f, LinkOption.NOFOLLOW_LINKS).toMillis() < cutoff) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  /** A profile and the berth-init it is compiled by (path, size, time, inode). */
  private record Source(String helper, Seccomp seccomp) {}

  /** Keys of the profiles used lately: hashing a profile's JSON costs more than comparing it. */
  private static final Map<Source, String> KEYS =
      Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Source, String> eldest) {
              return size() > 64;
            }
          });

  private static String key(Seccomp seccomp) throws IOException {
    Path helper = InitBinary.path();
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(helper, BasicFileAttributes.class);
    } catch (IOException e) {
      return null; // found on the PATH only: no identity to name its filters by
    }
    String identity =
        helper.toAbsolutePath()
            + "\n"
            + a.size()
            + "\n"
            + a.lastModifiedTime().toMillis()
            + "\n"
            + a.fileKey()
            + "\n";
    Source source = new Source(identity, seccomp);
    String known = KEYS.get(source);
    if (known != null) {
      return known;
    }
    String key = digest(identity, seccomp);
    KEYS.put(source, key);
    return key;
  }

  private static String digest(String identity, Seccomp seccomp) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(identity.getBytes(StandardCharsets.UTF_8));
      sha.update(JsonMapping.writeCompact(seccomp).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
