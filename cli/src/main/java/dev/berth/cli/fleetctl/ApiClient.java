package dev.berth.cli.fleetctl;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.JsonMapping;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Talks to the control plane's workload API for the fleet commands; an error answer becomes an
 * exception.
 */
final class ApiClient {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String server;

  ApiClient(String server) {
    this.server = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
  }

  /** The answer's status and JSON body. */
  record Answer(int status, JsonNode body) {}

  Answer send(String method, String path, String contentType, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server + path)).timeout(Duration.ofSeconds(30));
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
      r =
          http.send(
              HttpRequest.newBuilder(URI.create(server + path)).GET().build(),
              HttpResponse.BodyHandlers.ofInputStream());
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
  static String error(Answer a) {
    StringBuilder sb = new StringBuilder(a.body().path("error").asText("HTTP " + a.status()));
    for (JsonNode d : a.body().path("details")) {
      sb.append("\n  ").append(d.asText());
    }
    return sb.toString();
  }
}
