package dev.berth.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Debian's docker-registry (the CNCF distribution registry) started on a loopback port with its
 * storage in a temporary directory: for benchmarks and tests that need a real registry. It is
 * stopped and removed on close.
 */
public final class LoopbackRegistry implements AutoCloseable {
  private final Path dir;
  private final Process process;
  private final int port;

  /**
   * Token authentication as distribution configures it: who issues tokens and the certificates that
   * sign them.
   */
  public record TokenAuth(String realm, String service, String issuer, Path rootCertBundle) {}

  public LoopbackRegistry() throws Exception {
    this(null);
  }

  /** A registry that, with {@code auth}, accepts only Bearer tokens from that issuer. */
  public LoopbackRegistry(TokenAuth auth) throws Exception {
    Path binary = Path.of("/usr/bin/docker-registry");
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(
          "docker-registry is not installed: apt-get install docker-registry");
    }
    dir = Files.createTempDirectory("berth-registry-");
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Files.writeString(
        dir.resolve("config.yml"),
        String.join(
            "\n",
            "version: 0.1",
            "log:",
            "  level: error",
            "  accesslog:",
            "    disabled: true",
            "storage:",
            "  filesystem:",
            "    rootdirectory: " + dir.resolve("data"),
            "  delete:",
            "    enabled: true",
            "http:",
            "  addr: 127.0.0.1:" + port,
            auth == null
                ? ""
                : String.join(
                    "\n",
                    "auth:",
                    "  token:",
                    "    realm: " + auth.realm(),
                    "    service: " + auth.service(),
                    "    issuer: " + auth.issuer(),
                    "    rootcertbundle: " + auth.rootCertBundle()),
            ""));
    process =
        new ProcessBuilder(binary.toString(), "serve", dir.resolve("config.yml").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("registry.log").toFile())
            .start();
    HttpClient http = HttpClient.newHttpClient();
    for (int i = 0; i < 200; i++) {
      try {
        int status =
            http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/")).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode();
        if (status == 200 || (auth != null && status == 401)) {
          return;
        }
      } catch (IOException notYet) {
        Thread.sleep(25);
      }
    }
    close();
    throw new IllegalStateException(
        "docker-registry did not start: " + Files.readString(dir.resolve("registry.log")));
  }

  public String host() {
    return "127.0.0.1:" + port;
  }

  /** Where the registry keeps the bytes of the blob whose sha256 is {@code hex} on disk. */
  public Path blobData(String hex) {
    return dir.resolve("data/docker/registry/v2/blobs/sha256")
        .resolve(hex.substring(0, 2))
        .resolve(hex)
        .resolve("data");
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    process.waitFor();
    // The registry's files only: no links out of it to follow, so a plain walk suffices.
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
