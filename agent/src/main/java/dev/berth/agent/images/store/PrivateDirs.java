package dev.berth.agent.images.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Directories only root may enter (0700), for what an image brings: setuid binaries, files with
 * capabilities, device nodes. containerd keeps its content and snapshot roots the same way.
 */
public final class PrivateDirs {
  private PrivateDirs() {}

  /**
   * Creates the directory if needed and makes it 0700 either way (an older, looser one is
   * tightened).
   */
  public static Path create(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    return dir;
  }
}
