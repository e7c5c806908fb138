package dev.berth.agent.images.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.agent.images.store.ContentStore;
import dev.berth.agent.images.unpack.TarBuilder;
import dev.berth.model.image.Descriptor;
import dev.berth.model.image.Digest;
import dev.berth.model.image.MediaTypes;
import dev.berth.runtime.files.FileTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Container rootfs from layers: overlay mounts (real overlayfs) and the copying fallback agree. */
class SnapshotterTest {
  Path work;
  ContentStore content;
  List<Descriptor> layers;
  List<Digest> diffIds;

  @BeforeEach
  void twoLayers() throws Exception {
    work = Files.createTempDirectory("berth-snapshots-");
    content = new ContentStore(work.resolve("content"));
    byte[] lower =
        new TarBuilder()
            .file("a/keep", "k")
            .file("a/gone", "g")
            .file("o/old1", "1")
            .file("o/old2", "2")
            .file("etc/motd", "lower")
            .tar();
    byte[] upper =
        new TarBuilder()
            .file("a/.wh.gone", "")
            .dir("o", 0755)
            .file("o/.wh..wh..opq", "")
            .file("o/new", "n")
            .file("etc/motd", "upper")
            .tar();
    layers =
        List.of(
            layer(
                new TarBuilder()
                    .file("a/keep", "k")
                    .file("a/gone", "g")
                    .file("o/old1", "1")
                    .file("o/old2", "2")
                    .file("etc/motd", "lower")
                    .compressed("gzip"),
                MediaTypes.OCI_LAYER_GZIP),
            layer(upper, MediaTypes.OCI_LAYER));
    diffIds = List.of(Digest.sha256(lower), Digest.sha256(upper));
  }

  private Descriptor layer(byte[] blob, String mediaType) throws Exception {
    return new Descriptor(
        mediaType, content.put(blob), (long) blob.length, null, null, null, null, null, null);
  }

  @AfterEach
  void cleanUp() throws Exception {
    FileTrees.delete(work);
  }

  private static List<String> tree(Path root) throws Exception {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString())
          .sorted()
          .toList();
    }
  }

  @Test
  void whiteoutsDeleteAndOpaqueDirectoriesHideLowerFilesInTheMountedRootfs() throws Exception {
    Snapshotter s = new Snapshotter(content, work.resolve("snapshots"), true);
    Path rootfs = s.prepare("c1", layers, diffIds);
    try {
      assertTrue(
          Files.readString(Path.of("/proc/mounts")).contains(" " + rootfs + " overlay "),
          "an overlay mount");
      assertEquals(List.of("a/keep", "etc/motd", "o/new"), tree(rootfs));
      assertEquals("upper", Files.readString(rootfs.resolve("etc/motd")));
      Files.writeString(rootfs.resolve("a/written"), "by the container");
      assertFalse(
          Files.exists(s.layerDir(diffIds.get(0)).resolve("a/written")),
          "writes go to the upper dir");
    } finally {
      s.remove("c1");
    }
    assertFalse(Files.readString(Path.of("/proc/mounts")).contains(rootfs.toString()), "unmounted");
    assertFalse(Files.exists(rootfs));
  }

  @Test
  void theCopyingFallbackGivesTheSameTree() throws Exception {
    Snapshotter s = new Snapshotter(content, work.resolve("snapshots"), false);
    Path rootfs = s.prepare("c2", layers, diffIds);
    assertEquals(List.of("a/keep", "etc/motd", "o/new"), tree(rootfs));
    assertEquals("upper", Files.readString(rootfs.resolve("etc/motd")));
    s.remove("c2");
    assertFalse(Files.exists(rootfs));
  }

  @Test
  void eachLayerIsUnpackedOnceAndShared() throws Exception {
    Snapshotter s = new Snapshotter(content, work.resolve("snapshots"), true);
    s.prepare("c3", layers, diffIds);
    Path lowerDir = s.layerDir(diffIds.get(0));
    Object inode = Files.getAttribute(lowerDir, "unix:ino");
    s.prepare("c4", layers.subList(0, 1), diffIds.subList(0, 1));
    assertEquals(
        inode,
        Files.getAttribute(lowerDir, "unix:ino"),
        "the second container reuses the unpacked layer");
    s.remove("c3");
    s.remove("c4");
  }

  @Test
  void aLayerWhoseContentDoesNotMatchTheConfigsDiffIdIsRefused() throws Exception {
    Snapshotter s = new Snapshotter(content, work.resolve("snapshots"), true);
    Digest wrong = Digest.sha256("something else".getBytes());
    SnapshotException e =
        assertThrows(
            SnapshotException.class, () -> s.prepare("c5", layers.subList(0, 1), List.of(wrong)));
    assertTrue(e.getMessage().contains("the image config says " + wrong), e.getMessage());
    assertFalse(Files.exists(s.layerDir(wrong)));
    assertFalse(
        Files.exists(work.resolve("snapshots/containers/c5")),
        "nothing left of the failed snapshot");
  }

  @Test
  void pruneRemovesLayersNoImageOrContainerUses() throws Exception {
    Snapshotter s = new Snapshotter(content, work.resolve("snapshots"), true);
    s.prepare("c6", layers, diffIds);
    s.remove("c6");
    s.prepare("c7", layers.subList(0, 1), diffIds.subList(0, 1));
    assertEquals(
        List.of(), s.prune(Set.of(diffIds.get(1))), "one kept by an image, one by a container");
    s.remove("c7");
    assertEquals(List.of(diffIds.get(0)), s.prune(Set.of(diffIds.get(1))));
    assertFalse(Files.exists(s.layerDir(diffIds.get(0))));
    assertTrue(Files.exists(s.layerDir(diffIds.get(1))));
    assertEquals(List.of(diffIds.get(1)), s.prune(Set.of()));
  }

  @Test
  void aRootfsWithMountsStackedOnItIsStillRemovedAndListedUntilThen() throws Exception {
    Snapshotter s = new Snapshotter(content, work.resolve("snapshots"), true);
    Path rootfs = s.prepare("c8", layers, diffIds);
    // what a runtime killed between two steps leaves: the rootfs bind-mounted onto itself, twice
    dev.berth.runtime.libc.Native.mount(
        rootfs.toString(), rootfs.toString(), null, 4096 /* MS_BIND */, null);
    dev.berth.runtime.libc.Native.mount(
        rootfs.toString(), rootfs.toString(), null, 4096 /* MS_BIND */, null);
    assertEquals(List.of("c8"), s.containerIds());
    s.remove("c8");
    assertFalse(Files.readString(Path.of("/proc/mounts")).contains(rootfs.toString()), "unmounted");
    assertFalse(Files.exists(rootfs));
    assertEquals(List.of(), s.containerIds());
  }
}
