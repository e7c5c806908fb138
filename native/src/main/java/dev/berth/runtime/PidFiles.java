package dev.berth.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The --pid-file of create and exec, written atomically as runc writes it. */
final class PidFiles {
  private PidFiles() {}

  static void write(Path pidFile, int pid) throws ContainerException {
    try {
      Path tmp = pidFile.resolveSibling("." + pidFile.getFileName() + ".tmp");
      Files.writeString(tmp, Integer.toString(pid));
      Files.move(tmp, pidFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new ContainerException("cannot write pid file " + pidFile + ": " + e.getMessage());
    }
  }
}
