package dev.berth.agent.images.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.berth.agent.images.ImageStore;
import dev.berth.model.image.Digest;
import dev.berth.model.image.ImageReference;
import dev.berth.model.image.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry that misbehaves on purpose (an endless manifest, a body that stalls), on loopback: the
 * client refuses or gives up in bounded time and memory. A real registry cannot be made to do this,
 * so a small JDK HTTP server stands in for it.
 */
class HostileRegistryTest {
  private static HttpServer server;
  private static String registry;
  private static final CountDownLatch RELEASE = new CountDownLatch(1);

  @BeforeAll
  static void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/v2/r/manifests/endless", HostileRegistryTest::endless);
    server.createContext("/v2/r/manifests/stalled", HostileRegistryTest::stalled);
    server.createContext("/v2/r/blobs/", HostileRegistryTest::stalled);
    server.createContext(
        "/v2/r/manifests/nolayers",
        x -> {
          byte[] body =
              ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                      + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                      + Digest.sha256("{}".getBytes())
                      + "\",\"size\":2}}")
                  .getBytes();
          x.getResponseHeaders().add("Content-Type", "application/vnd.oci.image.manifest.v1+json");
          x.sendResponseHeaders(200, body.length);
          try (OutputStream out = x.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    registry = "127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterAll
  static void stop() {
    RELEASE.countDown();
    server.stop(0);
  }

  /** Sends manifest bytes without end (chunked, no length): the client must stop at its cap. */
  private static void endless(HttpExchange x) throws IOException {
    x.getResponseHeaders().add("Content-Type", "application/vnd.oci.image.manifest.v1+json");
    x.sendResponseHeaders(200, 0);
    byte[] chunk = new byte[1 << 16];
    Arrays.fill(chunk, (byte) ' ');
    try (OutputStream out = x.getResponseBody()) {
      for (int i = 0; i < 4096; i++) { // 256 MiB at most, so the test server stops by itself
        out.write(chunk);
      }
    } catch (IOException closedByClient) {
      // expected: the client hung up at its limit
    }
  }

  /** Sends the headers and a few bytes, then nothing until the test ends. */
  private static void stalled(HttpExchange x) throws IOException {
    x.sendResponseHeaders(200, 1 << 20);
    try (OutputStream out = x.getResponseBody()) {
      out.write(new byte[10]);
      out.flush();
      RELEASE.await();
    } catch (InterruptedException | IOException e) {
      // test over
    }
  }

  private static RegistryClient client() {
    return new RegistryClient(Map.of()).withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(1));
  }

  @Test
  void anEndlessManifestIsCutOffAtFourMebibytes() {
    RegistryException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(30),
            () ->
                assertThrows(
                    RegistryException.class, () -> client().getManifest(registry, "r", "endless")));
    assertTrue(
        e.getMessage().contains("more than the 4194304 bytes a manifest may be"), e.getMessage());
  }

  @Test
  void aStalledManifestFailsWithinTheIdleTimeout() {
    RegistryException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(30),
            () ->
                assertThrows(
                    RegistryException.class, () -> client().getManifest(registry, "r", "stalled")));
    assertTrue(e.getMessage().contains("idle timeout"), e.getMessage());
  }

  @Test
  void aManifestWithoutLayersIsRefusedByNameAndNotStored(@TempDir Path dir) throws Exception {
    ImageStore images = new ImageStore(dir.resolve("images"));
    var pool = Executors.newFixedThreadPool(2);
    try {
      RegistryException e =
          assertThrows(
              RegistryException.class,
              () ->
                  new ImagePuller(client(), images, pool)
                      .pull(
                          ImageReference.parse(registry + "/r:nolayers"),
                          Platform.host(),
                          PullProgress.NONE));
      assertTrue(
          e.getMessage().contains("invalid manifest: \"layers\" is missing"), e.getMessage());
      assertEquals(
          Set.of(), images.content().all(), "nothing stored from a manifest that did not parse");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aStalledBlobFailsWithinTheIdleTimeout() {
    Digest d = Digest.sha256("x".getBytes());
    IOException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(30),
            () ->
                assertThrows(
                    IOException.class,
                    () -> {
                      try (InputStream in = client().openBlob(registry, "r", d, 0)) {
                        in.readAllBytes();
                      }
                    }));
    assertTrue(
        e.getMessage().contains("no data from the registry for 1 s (idle timeout)"),
        e.getMessage());
  }
}
