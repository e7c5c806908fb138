package dev.berth.cli.fleetctl;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.JsonMapping;
import dev.berth.model.pki.TrustedCa;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

/**
 * Talks to the control plane's API for the fleet commands, over TLS trusting the fleet's CA and
 * with the config's bearer token; an error answer becomes an exception.
 */
public final class ApiClient {
  private final HttpClient http;
  private final String server;
  private final String token;
  private final Path configFile;
  private final Path certificateAuthority;

  /** A client for {@code config}; {@code configFile} is named in errors about missing parts. */
  public ApiClient(ClientConfig config, Path configFile) {
    String s = config.server();
    this.server = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    this.token = config.token();
    this.certificateAuthority = config.certificateAuthority();
    this.configFile = configFile;
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (config.certificateAuthority() != null) {
      b.sslContext(TrustedCa.sslContext(config.certificateAuthority()));
    }
    this.http = b.build();
  }

  private HttpRequest.Builder request(String path) throws IOException {
    if (token == null) {
      throw new IOException(
          "no token for "
              + server
              + ": "
              + configFile
              + " is missing or unreadable (run as root on the machine of `berth up`), or give"
              + " --token / BERTH_TOKEN");
    }
    return HttpRequest.newBuilder(URI.create(server + path))
        .header("Authorization", "Bearer " + token);
  }

  /** The answer's status and JSON body. */
  public record Answer(int status, JsonNode body) {}

  /** Sends a request, with more {@code headers} (name, value, ...) when given. */
  public Answer send(String method, String path, String contentType, byte[] body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = request(path).timeout(Duration.ofSeconds(30));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    HttpResponse<byte[]> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (ConnectException e) {
      throw new IOException(
          "cannot reach the control plane at " + server + " (is `berth up` running?)", e);
    }
    JsonNode json =
        r.body().length == 0
            ? JsonMapping.mapper().createObjectNode()
            : JsonMapping.mapper().readTree(r.body());
    return new Answer(r.statusCode(), json);
  }

  /**
   * Follows the watch stream (/v1/watch, docs/api.md) over a WebSocket: each message goes to {@code
   * onMessage} until it answers false or the stream closes; returns how it closed.
   */
  public String watch(Predicate<JsonNode> onMessage) throws IOException, InterruptedException {
    if (token == null) {
      request("/v1/watch"); // says why there is no token
    }
    URI uri = URI.create(server.replaceFirst("^http", "ws") + "/v1/watch");
    CompletableFuture<String> closed = new CompletableFuture<>();
    WebSocket.Listener listener =
        new WebSocket.Listener() {
          private final StringBuilder text = new StringBuilder();

          @Override
          public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
              try {
                if (!onMessage.test(JsonMapping.mapper().readTree(text.toString()))) {
                  closed.complete("done");
                  ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
                }
              } catch (IOException e) {
                closed.completeExceptionally(e);
              }
              text.setLength(0);
            }
            ws.request(1);
            return null;
          }

          @Override
          public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
            closed.complete(code + (reason.isEmpty() ? "" : " " + reason));
            return null;
          }

          @Override
          public void onError(WebSocket ws, Throwable e) {
            closed.completeExceptionally(e);
          }
        };
    try {
      http.newWebSocketBuilder()
          .header("Authorization", "Bearer " + token)
          .connectTimeout(Duration.ofSeconds(5))
          .buildAsync(uri, listener)
          .get();
      return closed.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof WebSocketHandshakeException h) {
        throw new IOException(
            "the watch stream was refused: HTTP "
                + h.getResponse().statusCode()
                + " "
                + h.getResponse().body(),
            h);
      }
      throw new IOException(
          "cannot follow the watch stream at " + uri + ": " + cause.getMessage(), cause);
    }
  }

  /** The API's address, https://HOST:PORT. */
  public String server() {
    return server;
  }

  /** The CA the client trusts (null: the JDK's). */
  public Path certificateAuthority() {
    return certificateAuthority;
  }

  /** The dashboard's address with this client's token in its fragment (see DashboardCommand). */
  public String signInLink() throws IOException {
    if (token == null) {
      request("/"); // says why there is no token
    }
    return server + "/#token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
  }

  /** Copies a streamed answer (a followed log) to {@code out} as it arrives; returns the status. */
  int stream(String path, OutputStream out) throws IOException, InterruptedException {
    HttpResponse<InputStream> r;
    try {
      r = http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (ConnectException e) {
      throw new IOException(
          "cannot reach the control plane at " + server + " (is `berth up` running?)", e);
    }
    try (InputStream in = r.body()) {
      if (r.statusCode() != 200) {
        JsonNode json = JsonMapping.mapper().readTree(in.readAllBytes());
        throw new IOException(
            error(
                new Answer(
                    r.statusCode(),
                    json == null ? JsonMapping.mapper().createObjectNode() : json)));
      }
      byte[] buf = new byte[8192];
      for (int n; (n = in.read(buf)) > 0; ) {
        out.write(buf, 0, n);
        out.flush();
      }
    }
    return r.statusCode();
  }

  /**
   * The container a user means: a container id as is, or a workload's name for its first running
   * replica (as `kubectl logs deploy/NAME` picks a pod).
   */
  String resolveContainer(String name) throws IOException, InterruptedException {
    Answer a = send("GET", "/v1/containers", null, null);
    if (a.status() != 200) {
      throw new IOException(error(a));
    }
    String replica = null;
    for (JsonNode c : a.body().path("items")) {
      if (c.path("containerId").asText().equals(name)) {
        return name;
      }
      if (replica == null
          && c.path("workload").asText().equals(name)
          && c.path("state").asText().equals("running")) {
        replica = c.path("containerId").asText();
      }
    }
    if (replica == null) {
      throw new IOException("no container or running workload named \"" + name + "\"");
    }
    return replica;
  }

  /** The API's error text, with the details it gives, for a failed answer. */
  public static String error(Answer a) {
    StringBuilder sb = new StringBuilder(a.body().path("error").asText("HTTP " + a.status()));
    for (JsonNode d : a.body().path("details")) {
      sb.append("\n  ").append(d.asText());
    }
    return sb.toString();
  }
}
