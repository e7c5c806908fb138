package dev.berth.agent.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.agent.images.bundle.ImageUser;
import dev.berth.agent.images.snapshot.SnapshotException;
import dev.berth.agent.images.snapshot.Snapshotter;
import dev.berth.agent.images.store.ContentStore;
import dev.berth.agent.images.unpack.LayerException;
import dev.berth.agent.images.unpack.LayerUnpacker;
import dev.berth.agent.images.unpack.TarBuilder;
import dev.berth.agent.images.unpack.UnpackLimits;
import dev.berth.agent.images.unpack.Whiteouts;
import dev.berth.model.image.Descriptor;
import dev.berth.model.image.Digest;
import dev.berth.model.image.MediaTypes;
import dev.berth.runtime.files.FileTrees;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile image content, each performing an attack that once wrote outside its layer, exhausted the
 * node or hung it (issue 8), and checking that it is now refused, bounded or contained.
 */
class HostileImageTest {
  private static final UnpackLimits SMALL = new UnpackLimits(10, 1 << 20, 1L << 30, 64 << 10);

  Path work;
  ContentStore content;

  @BeforeEach
  void setUp() throws Exception {
    work = Files.createTempDirectory("berth-hostile-image-");
    content = new ContentStore(work.resolve("content"));
  }

  @AfterEach
  void cleanUp() throws Exception {
    FileTrees.delete(work);
  }

  private Descriptor layer(byte[] blob) throws Exception {
    return new Descriptor(
        MediaTypes.OCI_LAYER,
        content.put(blob),
        (long) blob.length,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  private static List<String> left(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aWhiteoutNamedDotDotDotCannotDeleteTheOtherLayers() throws Exception {
    Snapshotter s = new Snapshotter(content, work.resolve("snapshots"), true);
    byte[] good = new TarBuilder().file("bin/tool", "x").tar();
    s.prepare("c1", List.of(layer(good)), List.of(Digest.sha256(good)));
    for (String hostile : List.of(".wh...", ".wh..", ".wh.", "d/.wh..")) {
      byte[] bad = new TarBuilder().dir("d", 0755).file(hostile, "").tar();
      SnapshotException e =
          assertThrows(
              SnapshotException.class,
              () -> s.prepare("c2", List.of(layer(bad)), List.of(Digest.sha256(bad))));
      assertTrue(
          e.getMessage().contains("a whiteout must name one file or directory"), e.getMessage());
      assertEquals(
          1,
          e.getMessage().split("layer sha256:", -1).length - 1,
          "the layer named once: " + e.getMessage());
      assertTrue(
          Files.exists(s.layerDir(Digest.sha256(good)).resolve("bin/tool")),
          "another layer was deleted");
    }
    assertEquals("x", Files.readString(work.resolve("snapshots/containers/c1/rootfs/bin/tool")));
    s.remove("c1");
  }

  /** A gzip of one file of zeros: a few KB that expand a thousandfold. */
  private static byte[] gzipBomb(long zeros) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
      TarArchiveEntry e = new TarArchiveEntry("zeros");
      e.setSize(zeros);
      tar.putArchiveEntry(e);
      byte[] chunk = new byte[1 << 16];
      for (long done = 0; done < zeros; done += chunk.length) {
        tar.write(chunk, 0, (int) Math.min(chunk.length, zeros - done));
      }
      tar.closeArchiveEntry();
    }
    return out.toByteArray();
  }

  @Test
  void aDecompressionBombStopsAtItsLimitAndLeavesNothing() throws Exception {
    byte[] bomb = gzipBomb(256L << 20);
    Path target = work.resolve("layers/bomb");
    Files.createDirectories(target.getParent());
    LayerException e =
        assertThrows(
            LayerException.class,
            () ->
                LayerUnpacker.unpackNew(
                    new ByteArrayInputStream(bomb),
                    "gzip",
                    target,
                    "bomb",
                    Whiteouts.OVERLAY,
                    null,
                    SMALL));
    assertTrue(e.getMessage().contains("decompression bomb"), e.getMessage());
    assertEquals(List.of(), left(target.getParent()), "no half-unpacked layer left");
  }

  /**
   * A GNU long-name header ('L') announcing {@code size} bytes of name, followed by that many:
   * written by hand because the hostile part is the header itself (Commons Compress writes long
   * names too slowly).
   */
  private static byte[] gnuLongName(int size) {
    byte[] header = new byte[512];
    byte[] name = "././@LongLink".getBytes();
    System.arraycopy(name, 0, header, 0, name.length);
    octal(header, 100, 8, 0644);
    octal(header, 108, 8, 0);
    octal(header, 116, 8, 0);
    octal(header, 124, 12, size);
    octal(header, 136, 12, 0);
    header[156] = 'L';
    System.arraycopy("ustar  \0".getBytes(), 0, header, 257, 8);
    Arrays.fill(header, 148, 156, (byte) ' ');
    int sum = 0;
    for (byte b : header) {
      sum += b & 0xff;
    }
    octal(header, 148, 7, sum);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(header);
    byte[] body = new byte[(size + 511) / 512 * 512];
    Arrays.fill(body, 0, size, (byte) 'a');
    out.writeBytes(body);
    out.writeBytes(new byte[1024]);
    return out.toByteArray();
  }

  private static void octal(byte[] into, int at, int width, long value) {
    String s = String.format("%0" + (width - 1) + "o", value);
    System.arraycopy(s.getBytes(), 0, into, at, width - 1);
  }

  @Test
  void aGiantLongNameHeaderIsRefusedBeforeItIsRead() throws Exception {
    byte[] tar = gnuLongName(8 << 20);
    Path target = work.resolve("layers/longname");
    Files.createDirectories(target.getParent());
    LayerException e =
        assertThrows(
            LayerException.class,
            () ->
                LayerUnpacker.unpackNew(
                    new ByteArrayInputStream(tar),
                    "none",
                    target,
                    "longname",
                    Whiteouts.OVERLAY,
                    null,
                    SMALL));
    assertTrue(
        e.getMessage()
            .contains("a tar header (long name or PAX records) is larger than 65536 bytes"),
        e.getMessage());
    assertEquals(List.of(), left(target.getParent()));
  }

  @Test
  void aGiantPaxHeaderIsRefused() throws Exception {
    byte[] tar =
        new TarBuilder().file("f", "x", 0644, 0, 0, Map.of("user.big", "v".repeat(1 << 20))).tar();
    LayerException e =
        assertThrows(
            LayerException.class,
            () ->
                LayerUnpacker.unpackNew(
                    new ByteArrayInputStream(tar),
                    "none",
                    work.resolve("pax"),
                    "pax",
                    Whiteouts.OVERLAY,
                    null,
                    SMALL));
    assertTrue(e.getMessage().contains("tar header"), e.getMessage());
  }

  @Test
  void aLayerWhoseDiffIdIsWrongNeverAppearsInPlace() throws Exception {
    byte[] tar = new TarBuilder().file("f", "x").tar();
    Path target = work.resolve("layers/wrong");
    Files.createDirectories(target.getParent());
    Digest claimed = Digest.sha256("something else".getBytes());
    LayerException e =
        assertThrows(
            LayerException.class,
            () ->
                LayerUnpacker.unpackNew(
                    new ByteArrayInputStream(tar),
                    "none",
                    target,
                    "wrong",
                    Whiteouts.OVERLAY,
                    claimed,
                    UnpackLimits.DEFAULT));
    assertTrue(e.getMessage().contains("the image config says " + claimed), e.getMessage());
    assertEquals(List.of(), left(target.getParent()));
  }

  @Test
  void aFailedUnpackFailsEveryoneWaitingForThatLayerInsteadOfHangingThem() throws Exception {
    byte[] tar = new TarBuilder().file("f", "x").tar();
    // A media type no unpacker knows throws an unchecked exception inside the shared unpack.
    Descriptor odd =
        new Descriptor(
            "application/x-not-a-layer",
            content.put(tar),
            (long) tar.length,
            null,
            null,
            null,
            null,
            null,
            null);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    ExecutorService callers =
        Executors.newFixedThreadPool(4); // as the agent: prepares never run on the unpack pool
    try {
      Snapshotter s = new Snapshotter(content, work.resolve("snapshots"), true, pool);
      assertTimeoutPreemptively(
          Duration.ofSeconds(20),
          () -> {
            List<CompletableFuture<Void>> tries = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
              String id = "c" + i;
              tries.add(
                  CompletableFuture.runAsync(
                      () ->
                          assertThrows(
                              Exception.class,
                              () -> s.prepare(id, List.of(odd), List.of(Digest.sha256(tar)))),
                      callers));
            }
            CompletableFuture.allOf(tries.toArray(CompletableFuture[]::new)).get();
          });
      assertEquals(
          List.of(), left(work.resolve("snapshots/containers")), "no snapshot left behind");
    } finally {
      pool.shutdownNow();
      callers.shutdownNow();
    }
  }

  @Test
  void aLayerThatLooksLikeAManifestIsNeverReadByPrune() throws Exception {
    byte[] victim = "kept only if the layer below were read as a manifest".getBytes();
    Digest victimDigest = content.put(victim);
    byte[] manifestLookalike =
        ("{\"schemaVersion\":2,\"mediaType\":\""
                + MediaTypes.OCI_MANIFEST
                + "\",\"config\":{\"mediaType\":\""
                + MediaTypes.OCI_CONFIG
                + "\",\"digest\":\""
                + victimDigest
                + "\",\"size\":"
                + victim.length
                + "},\"layers\":[]}")
            .getBytes();
    Descriptor fakeLayer = layer(manifestLookalike);
    byte[] config = "{}".getBytes();
    Digest configDigest = content.put(config);
    byte[] manifest =
        ("{\"schemaVersion\":2,\"mediaType\":\""
                + MediaTypes.OCI_MANIFEST
                + "\",\"config\":{\"mediaType\":\""
                + MediaTypes.OCI_CONFIG
                + "\",\"digest\":\""
                + configDigest
                + "\",\"size\":2},\"layers\":[{\"mediaType\":\""
                + MediaTypes.OCI_LAYER
                + "\",\"digest\":\""
                + fakeLayer.digest()
                + "\",\"size\":"
                + manifestLookalike.length
                + "}]}")
            .getBytes();
    Digest root = content.put(manifest);
    ContentStore.GcResult r = content.gc(Set.of(root));
    assertEquals(
        Set.of(victimDigest),
        r.removed(),
        "a layer's bytes were followed as if it were a manifest");
    assertEquals(Set.of(root, configDigest, fakeLayer.digest()), r.kept());
  }

  @Test
  void pruneRemovesPartialDownloadsAbandonedForAnHour() throws Exception {
    Path ingest = work.resolve("content/ingest");
    Path old = Files.writeString(ingest.resolve("sha256-" + "a".repeat(64) + ".partial"), "half");
    Path fresh = Files.writeString(ingest.resolve("sha256-" + "b".repeat(64) + ".partial"), "half");
    Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
    ContentStore.GcResult r = content.gc(Set.of());
    assertEquals(List.of(old.getFileName().toString()), r.partialsRemoved());
    assertFalse(Files.exists(old));
    assertTrue(Files.exists(fresh), "a download that may still be resumed is kept");
  }

  @Test
  void anImagesPasswdSymlinkIsReadInsideTheRootfsNotOnTheHost() throws Exception {
    Path hostFile =
        Files.writeString(work.resolve("host-passwd"), "intruder:x:4242:4242::/:/bin/sh\n");
    Path rootfs = Files.createDirectories(work.resolve("rootfs/etc"));
    Files.createSymbolicLink(rootfs.resolve("passwd"), hostFile);
    IOException e =
        assertThrows(
            IOException.class, () -> ImageUser.resolve("intruder", work.resolve("rootfs")));
    assertTrue(e.getMessage().contains("intruder"), e.getMessage());
  }

  @Test
  void anImageOf127LayersMountsAsOneOverlayAnd501AreRefusedClearly() throws Exception {
    List<Descriptor> layers = new ArrayList<>();
    List<Digest> diffIds = new ArrayList<>();
    for (int i = 0; i < 127; i++) {
      byte[] tar = new TarBuilder().file("layer-" + i, Integer.toString(i)).tar();
      layers.add(layer(tar));
      diffIds.add(Digest.sha256(tar));
    }
    Snapshotter s =
        new Snapshotter(
            content,
            work.resolve("a-rather-long-directory-name-for-the-state-of-berth" + "/snapshots"),
            true);
    Path rootfs = s.prepare("many", layers, diffIds);
    try {
      assertEquals("0", Files.readString(rootfs.resolve("layer-0")));
      assertEquals("126", Files.readString(rootfs.resolve("layer-126")));
    } finally {
      s.remove("many");
    }
    List<Descriptor> tooMany = new ArrayList<>();
    List<Digest> tooManyIds = new ArrayList<>();
    for (int i = 0; i < 501; i++) {
      tooMany.add(layers.get(0));
      tooManyIds.add(diffIds.get(0));
    }
    SnapshotException e =
        assertThrows(SnapshotException.class, () -> s.prepare("more", tooMany, tooManyIds));
    assertTrue(
        e.getMessage().contains("image has 501 layers; overlayfs stacks at most 500"),
        e.getMessage());
  }

  @Test
  void layersContentAndRootfsAreReachableByRootOnly() throws Exception {
    Snapshotter s = new Snapshotter(content, work.resolve("snapshots"), true);
    assertEquals(
        "rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(content.root())));
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(work.resolve("snapshots"))));
    byte[] tar = new TarBuilder().file("usr/bin/su", "setuid", 04755, 0, 0, Map.of()).tar();
    Path rootfs = s.prepare("c", List.of(layer(tar)), List.of(Digest.sha256(tar)));
    try {
      // A setuid binary is in the layer and in the mounted rootfs: root sees it, nobody may reach
      // either by path.
      for (Path su :
          List.of(
              s.layerDir(Digest.sha256(tar)).resolve("usr/bin/su"), rootfs.resolve("usr/bin/su"))) {
        assertTrue(Files.exists(su), "there for root: " + su);
        assertEquals(
            1, asNobody("test", "-e", su.toString()), "an unprivileged user reached " + su);
      }
      assertEquals(0, asNobody("test", "-e", "/"), "the check itself runs as nobody");
    } finally {
      s.remove("c");
    }
  }

  private static int asNobody(String... command) throws Exception {
    List<String> args =
        new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
    args.addAll(List.of(command));
    Process p = new ProcessBuilder(args).start();
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    return p.exitValue();
  }

  @Test
  void aHardLinkToASymlinkInTheLayerLinksTheSymlink() throws Exception {
    Path root = work.resolve("links");
    LayerUnpacker.unpackNew(
        new ByteArrayInputStream(
            new TarBuilder().symlink("sh", "/bin/busybox").hardlink("ash", "sh").tar()),
        "none",
        root,
        "links",
        Whiteouts.OVERLAY);
    assertEquals(Path.of("/bin/busybox"), Files.readSymbolicLink(root.resolve("ash")));
  }

  @Test
  void aLongNameIsNamedShortlyWithTheReason() throws Exception {
    byte[] tar = new TarBuilder().file("d/" + "n".repeat(4000), "x").tar();
    LayerException e =
        assertThrows(
            LayerException.class,
            () ->
                LayerUnpacker.unpackNew(
                    new ByteArrayInputStream(tar),
                    "none",
                    work.resolve("long"),
                    "long",
                    Whiteouts.OVERLAY));
    assertTrue(e.getMessage().contains("longer than 255 bytes (ENAMETOOLONG)"), e.getMessage());
    assertTrue(
        e.getMessage().length() < 400,
        "the message names the entry shortly: " + e.getMessage().length());
    assertEquals(1, e.getMessage().split("layer long:", -1).length - 1, "the layer is named once");
  }
}
