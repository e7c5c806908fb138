package dev.berth.agent.images.unpack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.model.image.Digest;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layers really unpack as a container runtime must: metadata kept, whiteouts honoured, escapes
 * refused.
 */
class LayerUnpackerTest {
  @TempDir Path tmp;

  private LayerUnpacker.Result unpackNew(
      byte[] blob, String compression, Path target, Whiteouts mode) throws Exception {
    return LayerUnpacker.unpackNew(
        new ByteArrayInputStream(blob), compression, target, "test-layer", mode);
  }

  @Test
  void filesDirectoriesLinksDevicesAndMetadataAreKept() throws Exception {
    byte[] tar =
        new TarBuilder()
            .dir("./etc", 0755)
            .file("./etc/hosts", "127.0.0.1 localhost\n")
            .file("usr/bin/tool", "#!/bin/sh\n", 04755, 1234, 5678, Map.of("user.origin", "test"))
            .symlink("bin", "usr/bin")
            .symlink("etc/mtab", "/proc/mounts")
            .hardlink("usr/bin/tool-alias", "usr/bin/tool")
            .charDevice("dev/null", 1, 3)
            .fifo("run/pipe")
            .tar();
    Path root = tmp.resolve("root");
    LayerUnpacker.Result r = unpackNew(tar, "none", root, Whiteouts.APPLY);
    assertEquals(
        Digest.sha256(tar), r.diffId(), "the diff id is the digest of the uncompressed tar");
    assertEquals("127.0.0.1 localhost\n", Files.readString(root.resolve("etc/hosts")));
    Path tool = root.resolve("usr/bin/tool");
    assertEquals(1234, Files.getAttribute(tool, "unix:uid"));
    assertEquals(5678, Files.getAttribute(tool, "unix:gid"));
    assertEquals(04755, (int) Files.getAttribute(tool, "unix:mode") & 07777, "setuid bit kept");
    assertEquals(1_500_000_000_000L, Files.getLastModifiedTime(tool).toMillis());
    assertEquals(
        1_000_000_000_000L,
        Files.getLastModifiedTime(root.resolve("etc")).toMillis(),
        "a directory keeps its mtime although files were added to it");
    assertEquals(Path.of("usr/bin"), Files.readSymbolicLink(root.resolve("bin")));
    assertEquals(Path.of("/proc/mounts"), Files.readSymbolicLink(root.resolve("etc/mtab")));
    assertEquals(
        Files.getAttribute(tool, "unix:ino"),
        Files.getAttribute(root.resolve("usr/bin/tool-alias"), "unix:ino"));
    int devMode = (int) Files.getAttribute(root.resolve("dev/null"), "unix:mode");
    assertEquals(0020000, devMode & 0170000, "a character device");
    assertEquals(
        259L,
        ((Number) Files.getAttribute(root.resolve("dev/null"), "unix:rdev")).longValue(),
        "1:3");
    assertEquals(
        0010000,
        (int) Files.getAttribute(root.resolve("run/pipe"), "unix:mode") & 0170000,
        "a fifo");
    var xattrs = Files.getFileAttributeView(tool, UserDefinedFileAttributeView.class);
    ByteBuffer buf = ByteBuffer.allocate(16);
    xattrs.read("origin", buf);
    assertEquals("test", new String(buf.array(), 0, buf.position()));
  }

  @Test
  void gzipAndZstdLayersUnpackToTheSameTreeAndDiffId() throws Exception {
    byte[] plain = new TarBuilder().file("a", "alpha").file("d/b", "beta").tar();
    for (String compression : new String[] {"gzip", "zstd"}) {
      Path root = tmp.resolve(compression);
      byte[] blob = new TarBuilder().file("a", "alpha").file("d/b", "beta").compressed(compression);
      LayerUnpacker.Result r = unpackNew(blob, compression, root, Whiteouts.APPLY);
      assertEquals(Digest.sha256(plain), r.diffId(), compression);
      assertEquals("beta", Files.readString(root.resolve("d/b")));
    }
  }

  @Test
  void whiteoutsDeleteAndOpaqueDirectoriesHideLowerFiles() throws Exception {
    Path root = tmp.resolve("root");
    unpackNew(
        new TarBuilder()
            .file("a/keep", "k")
            .file("a/gone", "g")
            .file("o/old1", "1")
            .file("o/old2", "2")
            .tar(),
        "none",
        root,
        Whiteouts.APPLY);
    LayerUnpacker.unpack(
        new ByteArrayInputStream(
            new TarBuilder()
                .file("a/.wh.gone", "")
                .dir("o", 0755)
                .file("o/.wh..wh..opq", "")
                .file("o/new", "n")
                .tar()),
        "none",
        root,
        "upper",
        Whiteouts.APPLY);
    assertTrue(Files.exists(root.resolve("a/keep")));
    assertFalse(Files.exists(root.resolve("a/gone")));
    assertFalse(Files.exists(root.resolve("a/.wh.gone")));
    try (var files = Files.list(root.resolve("o"))) {
      assertEquals(List.of(root.resolve("o/new")), files.toList());
    }
  }

  @Test
  void inOverlayModeWhiteoutsBecomeWhatOverlayfsReads() throws Exception {
    Path upper = tmp.resolve("upper");
    unpackNew(
        new TarBuilder().file("a/.wh.gone", "").dir("o", 0755).file("o/.wh..wh..opq", "").tar(),
        "none",
        upper,
        Whiteouts.OVERLAY);
    Path whiteout = upper.resolve("a/gone");
    assertEquals(
        0020000,
        (int) Files.getAttribute(whiteout, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000);
    assertEquals(
        0L,
        ((Number) Files.getAttribute(whiteout, "unix:rdev")).longValue(),
        "a 0:0 character device");
    Process getfattr =
        new ProcessBuilder(
                "sh",
                "-c",
                "python3 -c \"import os,sys;print(os.getxattr(sys.argv[1],'trusted.overlay.opaque').decode())\" "
                    + upper.resolve("o"))
            .redirectErrorStream(true)
            .start();
    assertEquals("y", new String(getfattr.getInputStream().readAllBytes()).trim());
  }

  @Test
  void aPathTraversalEntryIsRefusedNamingEntryAndLayerAndLeavesNothing() throws Exception {
    Path root = tmp.resolve("root");
    LayerException e =
        assertThrows(
            LayerException.class,
            () ->
                unpackNew(
                    new TarBuilder().file("ok", "fine").file("../../evil", "x").tar(),
                    "none",
                    root,
                    Whiteouts.APPLY));
    assertTrue(
        e.getMessage().contains("layer test-layer") && e.getMessage().contains("entry ../../evil"),
        e.getMessage());
    assertFalse(Files.exists(root), "nothing half-unpacked");
    try (var left = Files.list(tmp)) {
      assertEquals(0, left.count(), "no temporary directory left");
    }
    assertFalse(Files.exists(tmp.getParent().resolve("evil")));
  }

  @Test
  void anAbsolutePathIsRefused() {
    LayerException e =
        assertThrows(
            LayerException.class,
            () ->
                unpackNew(
                    new TarBuilder().file("/etc/passwd", "x").tar(),
                    "none",
                    tmp.resolve("r"),
                    Whiteouts.APPLY));
    assertTrue(e.getMessage().contains("entry /etc/passwd: absolute path refused"), e.getMessage());
  }

  @Test
  void writingThroughASymlinkThatLeavesTheTargetIsRefused() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    LayerException e =
        assertThrows(
            LayerException.class,
            () ->
                unpackNew(
                    new TarBuilder()
                        .symlink("escape", "../../../../../../../../" + outside)
                        .file("escape/planted", "x")
                        .tar(),
                    "none",
                    tmp.resolve("r"),
                    Whiteouts.APPLY));
    assertTrue(
        e.getMessage().contains("entry escape/planted") && e.getMessage().contains("leads out"),
        e.getMessage());
    try (var files = Files.list(outside)) {
      assertEquals(0, files.count(), "nothing written outside");
    }
  }

  @Test
  void anAbsoluteSymlinkParentStaysInsideTheTarget() throws Exception {
    Path root = tmp.resolve("r");
    unpackNew(
        new TarBuilder().dir("real", 0755).symlink("lib", "/real").file("lib/x.so", "elf").tar(),
        "none",
        root,
        Whiteouts.APPLY);
    assertEquals("elf", Files.readString(root.resolve("real/x.so")));
  }

  @Test
  void aHardLinkToAFileOutsideIsRefused() {
    LayerException e =
        assertThrows(
            LayerException.class,
            () ->
                unpackNew(
                    new TarBuilder().hardlink("passwd", "../../../../etc/passwd").tar(),
                    "none",
                    tmp.resolve("r"),
                    Whiteouts.APPLY));
    assertTrue(e.getMessage().contains("entry passwd"), e.getMessage());
  }

  @Test
  void aCorruptLayerIsReportedAndLeavesNothing() {
    byte[] junk = "this is not gzip".getBytes();
    LayerException e =
        assertThrows(
            LayerException.class, () -> unpackNew(junk, "gzip", tmp.resolve("r"), Whiteouts.APPLY));
    assertTrue(e.getMessage().startsWith("layer test-layer:"), e.getMessage());
    assertFalse(Files.exists(tmp.resolve("r")));
  }
}
