package dev.berth.runtime.cgroups;

import dev.berth.runtime.ContainerException;
import dev.berth.runtime.libc.LibC;
import dev.berth.runtime.libc.Native;
import dev.berth.runtime.libc.NativeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes cgroup control files; a refused write names the file, the value and the errno.
 */
final class CgroupFiles {
  private static final int O_CREAT = 0100;
  private static final int O_TRUNC = 01000;

  private CgroupFiles() {}

  static void write(Path file, String value) throws ContainerException {
    LibC libc = Native.libc();
    // O_CREAT|O_TRUNC: a no-op on cgroupfs, and what lets the v2 driver run on a fake tree too.
    int fd =
        libc.open(file.toString(), Native.O_WRONLY | Native.O_CLOEXEC | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
      throw new ContainerException(
          "cannot open cgroup file " + file + ": " + NativeException.errnoName(Native.errno()));
    }
    try {
      byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
      if (libc.write(fd, bytes, bytes.length) < 0) {
        throw new ContainerException(
            "cannot write \""
                + value
                + "\" to "
                + file
                + ": "
                + NativeException.errnoName(Native.errno()));
      }
    } finally {
      libc.close(fd);
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file).trim();
    } catch (IOException e) {
      return "";
    }
  }

  static long readLong(Path file) {
    String s = read(file);
    if (s.isEmpty() || s.equals("max")) {
      return -1;
    }
    try {
      return Long.parseLong(s.split("\\s+")[0]);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Reads a "key value" per line file such as memory.stat or cpu.stat. */
  static Map<String, Long> readKeyed(Path file) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String line : read(file).split("\n")) {
      String[] kv = line.trim().split("\\s+");
      if (kv.length == 2) {
        try {
          out.put(kv[0], Long.parseLong(kv[1]));
        } catch (NumberFormatException ignored) {
          // not a counter
        }
      }
    }
    return out;
  }

  /** Removes a cgroup directory, retrying briefly while its last processes finish exiting. */
  static void rmdir(Path dir) throws ContainerException {
    for (int attempt = 0; ; attempt++) {
      try {
        Files.deleteIfExists(dir);
        return;
      } catch (IOException e) {
        if (attempt >= 50) {
          throw new ContainerException("cannot remove cgroup " + dir + ": " + e.getMessage());
        }
        try {
          Thread.sleep(10);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new ContainerException("interrupted removing cgroup " + dir);
        }
      }
    }
  }

  /** Removes a cgroup directory if nothing is in it any more; one still in use is kept. */
  static void rmdirIfEmpty(Path dir) {
    try {
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // still holds another container's cgroup: keep it
    }
  }
}
