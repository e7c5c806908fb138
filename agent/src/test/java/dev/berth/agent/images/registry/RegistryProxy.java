package dev.berth.agent.images.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in front of the real registry to make it behave as registries the tests cannot run here
 * do: BEARER demands a token from its own token endpoint (as Docker Hub's auth service does), BASIC
 * demands a user and password, FLAKY drops the connection halfway through the first blob it serves.
 */
final class RegistryProxy implements AutoCloseable {
  enum Mode {
    BEARER,
    BASIC,
    FLAKY
  }

  static final String TOKEN = "berth-test-token";
  static final String BASIC =
      "Basic " + Base64.getEncoder().encodeToString("berth:s3cret".getBytes());
  final List<String> tokenRequests = new CopyOnWriteArrayList<>();
  final List<String> ranges = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private final HttpClient http = HttpClient.newHttpClient();
  private final String upstream;
  private final Mode mode;
  private volatile boolean dropped;

  RegistryProxy(String upstreamHost, Mode mode) throws IOException {
    this.upstream = "http://" + upstreamHost;
    this.mode = mode;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/token", this::token);
    server.createContext("/", this::guard);
    server.start();
  }

  String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  private void token(HttpExchange ex) throws IOException {
    tokenRequests.add(ex.getRequestURI().getQuery());
    respond(
        ex,
        200,
        ("{\"token\":\"" + TOKEN + "\"}").getBytes(StandardCharsets.UTF_8),
        "application/json");
  }

  private void guard(HttpExchange ex) throws IOException {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    if (mode == Mode.BEARER && !("Bearer " + TOKEN).equals(auth)) {
      ex.getResponseHeaders()
          .add(
              "WWW-Authenticate",
              "Bearer realm=\"http://"
                  + host()
                  + "/token\",service=\"berth-test\",scope=\"repository:test:pull\"");
      respond(
          ex,
          401,
          "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"token required\"}]}"
              .getBytes(StandardCharsets.UTF_8),
          "application/json");
      return;
    }
    if (mode == Mode.BASIC && !BASIC.equals(auth)) {
      ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"berth-test\"");
      respond(ex, 401, new byte[0], "application/json");
      return;
    }
    if (ex.getRequestHeaders().containsKey("Range")) {
      ranges.add(ex.getRequestHeaders().getFirst("Range"));
    }
    try {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(upstream + ex.getRequestURI()))
              .method(
                  ex.getRequestMethod(),
                  HttpRequest.BodyPublishers.ofByteArray(ex.getRequestBody().readAllBytes()));
      for (String h : List.of("Accept", "Range", "Content-Type")) {
        if (ex.getRequestHeaders().containsKey(h)) {
          b.header(h, ex.getRequestHeaders().getFirst(h));
        }
      }
      HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      for (String h : List.of("Docker-Content-Digest", "Content-Range")) {
        r.headers().firstValue(h).ifPresent(v -> ex.getResponseHeaders().add(h, v));
      }
      if (mode == Mode.FLAKY
          && !dropped
          && ex.getRequestURI().getPath().contains("/blobs/")
          && r.body().length > 4096) {
        dropped = true;
        ex.sendResponseHeaders(r.statusCode(), r.body().length);
        ex.getResponseBody().write(r.body(), 0, r.body().length / 2);
        ex.getResponseBody().flush();
        ex.close(); // half the blob, then the connection is gone
        return;
      }
      respond(
          ex,
          r.statusCode(),
          r.body(),
          r.headers().firstValue("Content-Type").orElse("application/octet-stream"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      respond(ex, 502, new byte[0], "text/plain");
    }
  }

  private static void respond(HttpExchange ex, int status, byte[] body, String type)
      throws IOException {
    ex.getResponseHeaders().add("Content-Type", type);
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
    if (!head && body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
    ex.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
