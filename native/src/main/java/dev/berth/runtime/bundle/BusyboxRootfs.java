package dev.berth.runtime.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Builds a small rootfs from the host's busybox-static: the image-free rootfs for demos, benchmarks
 * and tests.
 */
public final class BusyboxRootfs {
  public static final Path BUSYBOX = Path.of("/bin/busybox");

  private BusyboxRootfs() {}

  /**
   * Creates {@code target} with busybox, a symlink per applet, and minimal /etc/passwd and
   * /etc/group.
   */
  public static Path create(Path target) throws IOException {
    if (!Files.isExecutable(BUSYBOX)) {
      throw new IOException(
          "busybox-static is not installed (" + BUSYBOX + "): apt-get install busybox-static");
    }
    for (String d : List.of("bin", "proc", "sys", "dev", "tmp", "etc", "root", "home/user")) {
      Files.createDirectories(target.resolve(d));
    }
    Files.copy(
        BUSYBOX,
        target.resolve("bin/busybox"),
        StandardCopyOption.COPY_ATTRIBUTES,
        StandardCopyOption.REPLACE_EXISTING);
    Process list = new ProcessBuilder(BUSYBOX.toString(), "--list").start();
    for (String applet : new String(list.getInputStream().readAllBytes()).split("\n")) {
      Path link = target.resolve("bin").resolve(applet.trim());
      if (!applet.isBlank()
          && !applet.trim().equals("busybox")
          && !Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
        Files.createSymbolicLink(link, Path.of("busybox"));
      }
    }
    Files.writeString(
        target.resolve("etc/passwd"),
        "root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:user:/home/user:/bin/sh\n");
    Files.writeString(target.resolve("etc/group"), "root:x:0:\nuser:x:1000:\nextra:x:2000:user\n");
    return target;
  }
}
