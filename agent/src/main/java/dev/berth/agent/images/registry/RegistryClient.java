package dev.berth.agent.images.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.agent.images.store.ContentStore;
import dev.berth.model.JsonMapping;
import dev.berth.model.image.Digest;
import dev.berth.model.image.MediaTypes;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * A distribution-spec client on the JDK HttpClient: the /v2/ check, manifests with content
 * negotiation, blobs (with Range to resume), uploads (monolithic or chunked, skipping blobs the
 * registry has, mounting across repositories), and the Bearer token and Basic auth flows answered
 * from WWW-Authenticate.
 */
public final class RegistryClient {
  private static final String ACCEPT =
      String.join(
          ", ",
          MediaTypes.OCI_INDEX,
          MediaTypes.OCI_MANIFEST,
          MediaTypes.DOCKER_MANIFEST_LIST,
          MediaTypes.DOCKER_MANIFEST);

  private final HttpClient http =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NORMAL)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final Map<String, RegistryHost> hosts;
  private final Map<String, String> authorizations = new ConcurrentHashMap<>();

  /**
   * A manifest or index as the registry served it: the exact bytes, their media type and digest.
   */
  public record Fetched(byte[] body, String mediaType, Digest digest) {}

  private volatile Duration requestTimeout = Duration.ofSeconds(30);
  private volatile Duration idleTimeout = Duration.ofSeconds(30);

  /**
   * How long a registry may take to answer a request (until its headers), and to send the next
   * bytes of a body; both 30 s by default, as containerd's and skopeo's clients wait.
   */
  public RegistryClient withTimeouts(Duration request, Duration idle) {
    this.requestTimeout = request;
    this.idleTimeout = idle;
    return this;
  }

  public RegistryClient(Map<String, RegistryHost> hosts) {
    this.hosts = Map.copyOf(hosts);
  }

  private RegistryHost host(String registry) {
    return hosts.getOrDefault(registry, RegistryHost.defaults(registry));
  }

  /** Base URIs to try, mirrors first. */
  private List<String> endpoints(String registry) {
    RegistryHost h = host(registry);
    List<String> out = new ArrayList<>();
    for (String mirror : h.mirrors()) {
      out.add(mirror.contains("://") ? mirror : "https://" + mirror);
    }
    String name = registry.equals("docker.io") ? "registry-1.docker.io" : registry;
    out.add((h.plainHttp() ? "http://" : "https://") + name);
    return out;
  }

  private static String pullScope(String repo) {
    return "repository:" + repo + ":pull";
  }

  private static String pushScope(String repo) {
    return "repository:" + repo + ":pull,push";
  }

  /** Checks that the registry speaks the v2 API (200, or 401 with a challenge we can answer). */
  public void ping(String registry) throws RegistryException {
    send(
        registry,
        "",
        () -> HttpRequest.newBuilder(uri(registry, "/v2/")).GET(),
        HttpResponse.BodyHandlers.discarding(),
        200);
  }

  /** A request for a manifest that accepts every manifest and index type Berth reads. */
  private static HttpRequest.Builder manifestRequest(String base, String repo, String reference) {
    return HttpRequest.newBuilder(URI.create(base + "/v2/" + repo + "/manifests/" + reference))
        .header("Accept", ACCEPT);
  }

  public Fetched getManifest(String registry, String repo, String reference)
      throws RegistryException {
    HttpResponse<InputStream> r =
        sendPull(
            registry,
            pullScope(repo),
            base -> manifestRequest(base, repo, reference).GET(),
            HttpResponse.BodyHandlers.ofInputStream(),
            200);
    byte[] body = boundedBody(r, "manifest " + repo + ":" + reference);
    String type = r.headers().firstValue("Content-Type").orElse("").split(";")[0].trim();
    if (type.isEmpty() || type.equals("application/json")) {
      type = mediaTypeInside(body);
    }
    Digest digest = Digest.sha256(body);
    Optional<String> claimed = r.headers().firstValue("Docker-Content-Digest");
    if (reference.contains(":") && !reference.equals(digest.toString())) {
      throw new RegistryException(
          "manifest "
              + repo
              + "@"
              + reference
              + ": the registry sent content with digest "
              + digest,
          0);
    }
    if (claimed.isPresent()
        && claimed.get().startsWith("sha256:")
        && !claimed.get().equals(digest.toString())) {
      throw new RegistryException(
          "manifest "
              + repo
              + ":"
              + reference
              + ": Docker-Content-Digest "
              + claimed.get()
              + " does not match the content ("
              + digest
              + ")",
          0);
    }
    return new Fetched(body, type, digest);
  }

  /**
   * Reads a manifest's body, at most {@link ContentStore#MAX_MANIFEST_BYTES} (distribution's own
   * limit): a larger one is refused from its Content-Length before reading, or as soon as it passes
   * the limit.
   */
  private byte[] boundedBody(HttpResponse<InputStream> r, String what) throws RegistryException {
    long max = ContentStore.MAX_MANIFEST_BYTES;
    try (InputStream in = new IdleTimeoutInputStream(r.body(), idleTimeout, what)) {
      long declared = r.headers().firstValueAsLong("Content-Length").orElse(-1);
      if (declared > max) {
        throw new RegistryException(
            what + ": " + declared + " bytes, more than the " + max + " a manifest may be", 0);
      }
      byte[] body = in.readNBytes((int) max + 1);
      if (body.length > max) {
        throw new RegistryException(
            what + ": more than the " + max + " bytes a manifest may be", 0);
      }
      return body;
    } catch (IOException e) {
      throw new RegistryException(what + ": " + e.getMessage(), e);
    }
  }

  private static String mediaTypeInside(byte[] body) {
    try {
      JsonNode n = JsonMapping.mapper().readTree(body);
      if (n.has("mediaType")) {
        return n.get("mediaType").asText();
      }
      return n.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * The digest of a manifest the registry has under {@code reference}, without fetching it; empty
   * when none.
   */
  public Optional<Digest> headManifest(String registry, String repo, String reference)
      throws RegistryException {
    HttpResponse<Void> r =
        sendPull(
            registry,
            pullScope(repo),
            base ->
                manifestRequest(base, repo, reference)
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()),
            HttpResponse.BodyHandlers.discarding(),
            200,
            404);
    if (r.statusCode() == 404) {
      return Optional.empty();
    }
    return r.headers().firstValue("Docker-Content-Digest").map(Digest::parse);
  }

  /** Opens a blob's bytes from {@code offset} on (a Range request when resuming). */
  public InputStream openBlob(String registry, String repo, Digest digest, long offset)
      throws IOException {
    try {
      HttpResponse<InputStream> r =
          sendPull(
              registry,
              pullScope(repo),
              base -> {
                HttpRequest.Builder b =
                    HttpRequest.newBuilder(URI.create(base + "/v2/" + repo + "/blobs/" + digest))
                        .GET();
                return offset > 0 ? b.header("Range", "bytes=" + offset + "-") : b;
              },
              HttpResponse.BodyHandlers.ofInputStream(),
              200,
              206);
      InputStream in = new IdleTimeoutInputStream(r.body(), idleTimeout, "blob " + digest);
      if (offset > 0 && r.statusCode() == 200) {
        in.skipNBytes(offset); // the registry ignored Range: skip what we have
      }
      return in;
    } catch (RegistryException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  public boolean hasBlob(String registry, String repo, Digest digest) throws RegistryException {
    HttpResponse<Void> r =
        send(
            registry,
            pushScope(repo),
            () ->
                HttpRequest.newBuilder(uri(registry, "/v2/" + repo + "/blobs/" + digest))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()),
            HttpResponse.BodyHandlers.discarding(),
            200,
            404);
    return r.statusCode() == 200;
  }

  /**
   * Asks the registry to link a blob it already has in another repository; false when it will not.
   */
  public boolean mountBlob(String registry, String repo, Digest digest, String fromRepo)
      throws RegistryException {
    String query = "?mount=" + enc(digest.toString()) + "&from=" + enc(fromRepo);
    HttpResponse<Void> r =
        send(
            registry,
            pushScope(repo) + " " + pullScope(fromRepo),
            () ->
                HttpRequest.newBuilder(uri(registry, "/v2/" + repo + "/blobs/uploads/" + query))
                    .POST(HttpRequest.BodyPublishers.noBody()),
            HttpResponse.BodyHandlers.discarding(),
            201,
            202);
    return r.statusCode() == 201;
  }

  /**
   * Uploads a blob: one PUT when it fits in a chunk, otherwise PATCH chunks then the closing PUT
   * with the digest. {@code progress} gets the bytes sent so far.
   */
  public void uploadBlob(
      String registry, String repo, Digest digest, Path file, long chunkSize, LongConsumer progress)
      throws RegistryException, IOException {
    String scope = pushScope(repo);
    HttpResponse<Void> start =
        send(
            registry,
            scope,
            () ->
                HttpRequest.newBuilder(uri(registry, "/v2/" + repo + "/blobs/uploads/"))
                    .POST(HttpRequest.BodyPublishers.noBody()),
            HttpResponse.BodyHandlers.discarding(),
            202);
    String location = location(registry, start);
    long size = Files.size(file);
    if (size <= chunkSize) {
      String target =
          location + (location.contains("?") ? "&" : "?") + "digest=" + enc(digest.toString());
      send(
          registry,
          scope,
          () ->
              HttpRequest.newBuilder(URI.create(target))
                  .header("Content-Type", "application/octet-stream")
                  .PUT(ofFile(file)),
          HttpResponse.BodyHandlers.discarding(),
          201);
      progress.accept(size);
      return;
    }
    byte[] chunk = new byte[(int) chunkSize];
    try (InputStream in = Files.newInputStream(file)) {
      long sent = 0;
      while (sent < size) {
        int n = in.readNBytes(chunk, 0, (int) Math.min(chunkSize, size - sent));
        byte[] body = n == chunk.length ? chunk : Arrays.copyOf(chunk, n);
        String at = location;
        long from = sent;
        HttpResponse<Void> r =
            send(
                registry,
                scope,
                () ->
                    HttpRequest.newBuilder(URI.create(at))
                        .header("Content-Type", "application/octet-stream")
                        .header("Content-Range", from + "-" + (from + n - 1))
                        .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body)),
                HttpResponse.BodyHandlers.discarding(),
                202);
        location = location(registry, r);
        sent += n;
        progress.accept(sent);
      }
    }
    String target =
        location + (location.contains("?") ? "&" : "?") + "digest=" + enc(digest.toString());
    send(
        registry,
        scope,
        () -> HttpRequest.newBuilder(URI.create(target)).PUT(HttpRequest.BodyPublishers.noBody()),
        HttpResponse.BodyHandlers.discarding(),
        201);
  }

  public void putManifest(
      String registry, String repo, String reference, String mediaType, byte[] body)
      throws RegistryException {
    send(
        registry,
        pushScope(repo),
        () ->
            HttpRequest.newBuilder(uri(registry, "/v2/" + repo + "/manifests/" + reference))
                .header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)),
        HttpResponse.BodyHandlers.discarding(),
        201);
  }

  private static HttpRequest.BodyPublisher ofFile(Path file) {
    try {
      return HttpRequest.BodyPublishers.ofFile(file);
    } catch (FileNotFoundException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String location(String registry, HttpResponse<?> r) throws RegistryException {
    String loc =
        r.headers()
            .firstValue("Location")
            .orElseThrow(
                () ->
                    new RegistryException("upload: the registry sent no Location", r.statusCode()));
    return loc.startsWith("http")
        ? loc
        : endpoints(registry).get(endpoints(registry).size() - 1) + loc;
  }

  private URI uri(String registry, String path) {
    List<String> e = endpoints(registry);
    return URI.create(e.get(e.size() - 1) + path);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /**
   * Sends a read request to the registry's mirrors first, then to the registry itself: a mirror
   * that cannot be reached, lacks the content (404) or fails (5xx) is passed over.
   */
  private <T> HttpResponse<T> sendPull(
      String registry,
      String scope,
      Function<String, HttpRequest.Builder> request,
      HttpResponse.BodyHandler<T> handler,
      int... ok)
      throws RegistryException {
    List<String> bases = endpoints(registry);
    for (int i = 0; i < bases.size() - 1; i++) {
      String base = bases.get(i);
      try {
        return send(base, scope, () -> request.apply(base), handler, ok);
      } catch (RegistryException e) {
        if (e.status() != 0 && e.status() != 404 && e.status() < 500) {
          throw e;
        }
        // this mirror cannot serve it: try the next one, then the registry
      }
    }
    String registryBase = bases.get(bases.size() - 1);
    return send(
        registry,
        scope,
        () -> request.apply(registryBase),
        handler,
        ok); // by name: its credentials apply
  }

  /**
   * Sends a request, answering one auth challenge; any status not in {@code ok} is an error with
   * its text.
   */
  private <T> HttpResponse<T> send(
      String registry,
      String scope,
      Supplier<HttpRequest.Builder> request,
      HttpResponse.BodyHandler<T> handler,
      int... ok)
      throws RegistryException {
    String key = registry + " " + scope;
    try {
      HttpResponse<T> r = http.send(withAuth(request.get(), key), handler);
      if (r.statusCode() == 401) {
        closeQuietly(r);
        authorizations.put(
            key, authorize(registry, scope, r.headers().firstValue("WWW-Authenticate").orElse("")));
        r = http.send(withAuth(request.get(), key), handler);
      }
      for (int code : ok) {
        if (r.statusCode() == code) {
          return r;
        }
      }
      String detail = errorText(r);
      throw new RegistryException(
          r.request().method() + " " + r.request().uri() + ": HTTP " + r.statusCode() + detail,
          r.statusCode());
    } catch (IOException e) {
      throw new RegistryException("registry " + registry + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException("registry " + registry + ": interrupted", e);
    }
  }

  private HttpRequest withAuth(HttpRequest.Builder b, String key) {
    String auth = authorizations.get(key);
    // The JDK's timeout covers the response headers; bodies are watched by IdleTimeoutInputStream.
    b.timeout(requestTimeout);
    return (auth == null ? b : b.header("Authorization", auth)).build();
  }

  private String authorize(String registry, String scope, String header)
      throws RegistryException, IOException, InterruptedException {
    Challenge c = Challenge.parse(header);
    RegistryHost h = host(registry);
    String basic =
        h.username() == null
            ? null
            : "Basic "
                + Base64.getEncoder()
                    .encodeToString(
                        (h.username() + ":" + h.password()).getBytes(StandardCharsets.UTF_8));
    if (c.scheme().equals("basic")) {
      if (basic == null) {
        throw new RegistryException(
            "registry " + registry + " asks for a user name and password; none configured", 401);
      }
      return basic;
    }
    if (!c.scheme().equals("bearer") || !c.params().containsKey("realm")) {
      throw new RegistryException(
          "registry " + registry + ": unsupported authentication \"" + header + "\"", 401);
    }
    List<String> query = new ArrayList<>();
    if (c.params().containsKey("service")) {
      query.add("service=" + enc(c.params().get("service")));
    }
    for (String s : scope.split(" ")) {
      if (!s.isEmpty()) {
        query.add("scope=" + enc(s));
      }
    }
    String realm = c.params().get("realm");
    String url = realm + (realm.contains("?") ? "&" : "?") + String.join("&", query);
    HttpRequest.Builder tokenRequest = HttpRequest.newBuilder(URI.create(url)).GET();
    if (basic != null) {
      tokenRequest.header("Authorization", basic);
    }
    HttpResponse<byte[]> r =
        http.send(tokenRequest.build(), HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new RegistryException(
          "token endpoint " + c.params().get("realm") + ": HTTP " + r.statusCode(), r.statusCode());
    }
    JsonNode token = JsonMapping.mapper().readTree(r.body());
    String value =
        token.hasNonNull("token")
            ? token.get("token").asText()
            : token.path("access_token").asText("");
    if (value.isEmpty()) {
      throw new RegistryException(
          "token endpoint " + c.params().get("realm") + ": no token in its answer", 0);
    }
    return "Bearer " + value;
  }

  private static String errorText(HttpResponse<?> r) {
    Object body = r.body();
    byte[] bytes = body instanceof byte[] b ? b : null;
    if (body instanceof InputStream in) {
      try (in) {
        bytes = in.readNBytes(4096);
      } catch (IOException e) {
        return "";
      }
    }
    if (bytes == null || bytes.length == 0) {
      return "";
    }
    try {
      JsonNode errors = JsonMapping.mapper().readTree(bytes).path("errors");
      if (errors.isArray() && !errors.isEmpty()) {
        return " ("
            + errors.get(0).path("code").asText()
            + ": "
            + errors.get(0).path("message").asText()
            + ")";
      }
    } catch (IOException e) {
      // not the registry's JSON error body
    }
    return "";
  }

  private static void closeQuietly(HttpResponse<?> r) {
    if (r.body() instanceof InputStream in) {
      try {
        in.close();
      } catch (IOException ignored) {
        // discarded response
      }
    }
  }
}
