package dev.berth.runtime.mounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootfsPathsTest {
  @TempDir Path rootfs;

  @Test
  void plainPathsStayUnderTheRootfs() throws Exception {
    assertEquals(rootfs.resolve("a/b"), RootfsPaths.resolve(rootfs, "/a/./b/"));
    assertEquals(rootfs.resolve("a"), RootfsPaths.resolve(rootfs, "/a/b/.."));
  }

  @Test
  void absoluteSymlinksAreFollowedFromTheRootfs() throws Exception {
    Files.createDirectories(rootfs.resolve("usr/lib"));
    Files.createSymbolicLink(rootfs.resolve("lib"), Path.of("/usr/lib"));
    assertEquals(rootfs.resolve("usr/lib/x"), RootfsPaths.resolve(rootfs, "/lib/x"));
  }

  @Test
  void relativeSymlinksWithinTheRootfsAreFollowed() throws Exception {
    Files.createDirectories(rootfs.resolve("a/real"));
    Files.createSymbolicLink(rootfs.resolve("a/link"), Path.of("../a/real"));
    assertEquals(rootfs.resolve("a/real/f"), RootfsPaths.resolve(rootfs, "/a/link/f"));
  }

  @Test
  void dotDotAboveTheRootIsRefused() {
    var e =
        assertThrows(
            RootfsPaths.EscapeException.class, () -> RootfsPaths.resolve(rootfs, "/../etc"));
    assertTrue(e.getMessage().contains("leads out of the rootfs"), e.getMessage());
  }

  @Test
  void aSymlinkClimbingOutIsRefusedAndNamed() throws Exception {
    Files.createDirectories(rootfs.resolve("d"));
    Files.createSymbolicLink(rootfs.resolve("d/up"), Path.of("../../host"));
    var e =
        assertThrows(
            RootfsPaths.EscapeException.class, () -> RootfsPaths.resolve(rootfs, "/d/up/x"));
    assertTrue(e.getMessage().contains(rootfs.resolve("d/up") + " -> ../../host"), e.getMessage());
  }

  @Test
  void symlinkLoopsAreRefused() throws Exception {
    Files.createSymbolicLink(rootfs.resolve("a"), Path.of("b"));
    Files.createSymbolicLink(rootfs.resolve("b"), Path.of("a"));
    var e =
        assertThrows(RootfsPaths.EscapeException.class, () -> RootfsPaths.resolve(rootfs, "/a/x"));
    assertTrue(e.getMessage().contains("ELOOP"), e.getMessage());
  }
}
