package dev.berth.cli.fleetctl;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.runtime.OciJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Talks to the control plane's workload API for the fleet commands; an error answer becomes an exception. */
final class ApiClient {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String server;

  ApiClient(String server) {
    this.server = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
  }

  /** The answer's status and JSON body. */
  record Answer(int status, JsonNode body) {}

  Answer send(String method, String path, String contentType, byte[] body) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server + path)).timeout(Duration.ofSeconds(30));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    HttpResponse<byte[]> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (java.net.ConnectException e) {
      throw new IOException("cannot reach the control plane at " + server + " (is `berth up` running?)", e);
    }
    JsonNode json = r.body().length == 0 ? OciJson.mapper().createObjectNode() : OciJson.mapper().readTree(r.body());
    return new Answer(r.statusCode(), json);
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
