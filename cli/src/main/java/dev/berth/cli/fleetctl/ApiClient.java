package dev.berth.cli.fleetctl;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.JsonMapping;
import dev.berth.model.pki.TrustedCa;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Talks to the control plane's API for the fleet commands, over TLS trusting the fleet's CA and
 * with the config's bearer token; an error answer becomes an exception.
 */
public final class ApiClient {
  private final HttpClient http;
  private final String server;
  private final String token;
  private final Path configFile;

  /** A client for {@code config}; {@code configFile} is named in errors about missing parts. */
  public ApiClient(ClientConfig config, Path configFile) {
    String s = config.server();
    this.server = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    this.token = config.token();
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

  public Answer send(String method, String path, String contentType, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = request(path).timeout(Duration.ofSeconds(30));
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
