package dev.berth.chaos.lab;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.JsonMapping;
import dev.berth.model.pki.TrustedCa;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The lab's control planes' API as an admin reaches it (the bootstrap token, the fleet's CA), with
 * a short time limit per request, so a request stuck behind a fault counts as failed instead of
 * stalling the experiment.
 */
public final class LabApi {
  /** A status and a JSON body (empty object when there was none). */
  public record Answer(int status, JsonNode body) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  private final HttpClient http;
  private final List<String> servers;
  private final String token;
  private final Duration timeout;

  public LabApi(List<String> servers, Path caCert, String token, Duration timeout) {
    this.servers = List.copyOf(servers);
    this.token = token;
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .sslContext(TrustedCa.sslContext(caCert))
            .connectTimeout(timeout)
            .build();
  }

  public List<String> servers() {
    return servers;
  }

  /** One request to control plane number {@code server} (0-based). */
  public Answer send(int server, String method, String path, String json)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(servers.get(server) + path))
            .timeout(timeout)
            .header("Authorization", "Bearer " + token);
    if (json != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(
        method,
        json == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(json));
    HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    JsonNode body =
        r.body().length == 0
            ? JsonMapping.mapper().createObjectNode()
            : JsonMapping.mapper().readTree(r.body());
    return new Answer(r.statusCode(), body);
  }

  /** The request to each control plane in turn until one answers (any status); null if none. */
  public Answer sendAny(String method, String path, String json) throws InterruptedException {
    for (int i = 0; i < servers.size(); i++) {
      try {
        return send(i, method, path, json);
      } catch (IOException e) {
        // the next one
      }
    }
    return null;
  }
}
