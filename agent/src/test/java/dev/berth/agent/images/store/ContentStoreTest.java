package dev.berth.agent.images.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.model.image.Digest;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentStoreTest {
  @TempDir Path dir;
  ContentStore store;
  byte[] blob;
  Digest digest;

  @BeforeEach
  void setUp() throws Exception {
    store = new ContentStore(dir.resolve("content"));
    blob = new byte[300_000];
    new Random(42).nextBytes(blob);
    digest = Digest.sha256(blob);
  }

  @Test
  void aStoredBlobLiesAtItsDigestAndReadsBack() throws Exception {
    Path p = store.ingest(digest, blob.length, offset -> new ByteArrayInputStream(blob));
    assertEquals(dir.resolve("content/blobs/sha256/" + digest.encoded()), p);
    assertArrayEquals(blob, store.read(digest));
    assertEquals(digest, store.put(blob), "put of the same content is the same blob");
  }

  @Test
  void contentThatDoesNotMatchItsDigestIsRefusedAndLeavesNothing() throws Exception {
    byte[] corrupted = blob.clone();
    corrupted[1000] ^= 1;
    ContentStoreException e =
        assertThrows(
            ContentStoreException.class,
            () -> store.ingest(digest, blob.length, offset -> new ByteArrayInputStream(corrupted)));
    assertTrue(
        e.getMessage().contains(digest.toString())
            && e.getMessage().contains("does not match its digest"),
        e.getMessage());
    assertFalse(store.has(digest));
    assertEquals(0, store.partialSize(digest));
    try (var files = Files.list(dir.resolve("content/ingest"))) {
      assertEquals(0, files.count(), "no temp file left");
    }
  }

  @Test
  void aWrongSizeIsRefused() {
    ContentStoreException e =
        assertThrows(
            ContentStoreException.class,
            () -> store.ingest(digest, blob.length + 1, offset -> new ByteArrayInputStream(blob)));
    assertTrue(
        e.getMessage()
            .contains("got " + blob.length + " bytes, its descriptor gives " + (blob.length + 1)),
        e.getMessage());
    assertThrows(
        ContentStoreException.class,
        () -> store.ingest(digest, 10, offset -> new ByteArrayInputStream(blob)));
    assertFalse(store.has(digest));
  }

  @Test
  void concurrentIngestsOfOneBlobFetchItOnce() throws Exception {
    AtomicInteger opened = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Path>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  return store.ingest(
                      digest,
                      blob.length,
                      offset -> {
                        opened.incrementAndGet();
                        return new SlowStream(new ByteArrayInputStream(blob));
                      });
                }));
      }
      go.countDown();
      for (Future<Path> f : results) {
        assertEquals(store.path(digest), f.get());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, opened.get(), "the blob should be fetched once");
  }

  @Test
  void aBrokenTransferIsResumedFromWhereItStopped() throws Exception {
    List<Long> offsets = new ArrayList<>();
    BlobSource breaksAfter100k =
        offset -> {
          offsets.add(offset);
          InputStream rest =
              new ByteArrayInputStream(blob, (int) offset, blob.length - (int) offset);
          return offsets.size() == 1 ? new BreakingStream(rest, 100_000) : rest;
        };
    ContentStoreException e =
        assertThrows(
            ContentStoreException.class, () -> store.ingest(digest, blob.length, breaksAfter100k));
    assertTrue(e.getMessage().contains("broke off"), e.getMessage());
    assertTrue(
        store.partialSize(digest) >= 65_536, "what arrived is kept: " + store.partialSize(digest));
    long kept = store.partialSize(digest);
    store.ingest(digest, blob.length, breaksAfter100k);
    assertEquals(List.of(0L, kept), offsets);
    assertArrayEquals(blob, store.read(digest));
  }

  @Test
  void garbageCollectionKeepsWhatAnImageUsesAndRemovesTheRest() throws Exception {
    Digest layer = store.put("layer".getBytes(StandardCharsets.UTF_8));
    Digest config = store.put("{\"architecture\":\"amd64\"}".getBytes(StandardCharsets.UTF_8));
    Digest orphan = store.put("orphan".getBytes(StandardCharsets.UTF_8));
    String manifest =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
            + config
            + "\",\"size\":24},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\""
            + layer
            + "\",\"size\":5}]}";
    Digest m = store.put(manifest.getBytes(StandardCharsets.UTF_8));
    String index =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
            + "\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\""
            + m
            + "\",\"size\":"
            + manifest.length()
            + "}]}";
    Digest idx = store.put(index.getBytes(StandardCharsets.UTF_8));
    ContentStore.GcResult r = store.gc(Set.of(idx));
    assertEquals(Set.of(orphan), r.removed());
    assertEquals(Set.of(idx, m, config, layer), r.kept());
    assertFalse(store.has(orphan));
    assertEquals(Set.of(layer, config, orphan, m, idx).size() - 1, store.all().size());
    assertEquals(4, store.gc(Set.of()).removed().size(), "with no image left, everything goes");
  }

  /** Slows reads so that concurrent ingests overlap. */
  private static final class SlowStream extends FilterInputStream {
    SlowStream(InputStream in) {
      super(in);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
      return super.read(b, off, Math.min(len, 16_384));
    }
  }

  /** Fails like a dropped connection after a number of bytes. */
  private static final class BreakingStream extends FilterInputStream {
    private long left;

    BreakingStream(InputStream in, long limit) {
      super(in);
      left = limit;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        throw new IOException("connection reset");
      }
      int n = super.read(b, off, (int) Math.min(len, left));
      left -= Math.max(n, 0);
      return n;
    }
  }
}
