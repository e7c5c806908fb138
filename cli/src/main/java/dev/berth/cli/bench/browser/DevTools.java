package dev.berth.cli.bench.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.JsonMapping;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Chrome DevTools Protocol connection to a browser (one WebSocket, flat sessions): commands
 * answered by id; events are not needed by the benchmarks and are dropped.
 */
public final class DevTools implements AutoCloseable {
  private static final int MAX_MESSAGE = 64 << 20;
  private final WebSocketClient client;
  private final WebSocket socket;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

  private DevTools(WebSocketClient client, WebSocket socket) {
    this.client = client;
    this.socket = socket;
    socket.textMessageHandler(this::onMessage);
    socket.closeHandler(
        v ->
            pending.forEach(
                (id, f) -> f.completeExceptionally(new IllegalStateException("DevTools closed"))));
  }

  /** Connects to a browser's DevTools endpoint (ws://127.0.0.1:PORT/devtools/browser/ID). */
  public static DevTools connect(Vertx vertx, URI endpoint) throws Exception {
    WebSocketClient client =
        vertx.createWebSocketClient(
            new WebSocketClientOptions()
                .setMaxFrameSize(MAX_MESSAGE)
                .setMaxMessageSize(MAX_MESSAGE));
    WebSocket ws =
        client
            .connect(endpoint.getPort(), endpoint.getHost(), endpoint.getRawPath())
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    return new DevTools(client, ws);
  }

  /** Sends a command (to the browser when {@code sessionId} is null) and waits for its result. */
  public JsonNode call(String sessionId, String method, ObjectNode params, long timeoutMillis)
      throws Exception {
    long id = ids.incrementAndGet();
    ObjectNode message = JsonMapping.mapper().createObjectNode();
    message.put("id", id).put("method", method).set("params", params);
    if (sessionId != null) {
      message.put("sessionId", sessionId);
    }
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    pending.put(id, reply);
    try {
      socket.writeTextMessage(JsonMapping.mapper().writeValueAsString(message));
      JsonNode answer = reply.get(timeoutMillis, TimeUnit.MILLISECONDS);
      if (answer.has("error")) {
        throw new IllegalStateException(method + " failed: " + answer.get("error"));
      }
      return answer.path("result");
    } finally {
      pending.remove(id);
    }
  }

  public static ObjectNode params() {
    return JsonMapping.mapper().createObjectNode();
  }

  private void onMessage(String text) {
    try {
      JsonNode m = JsonMapping.mapper().readTree(text);
      if (m.has("id")) {
        CompletableFuture<JsonNode> f = pending.get(m.get("id").asLong());
        if (f != null) {
          f.complete(m);
        }
      }
    } catch (Exception e) {
      // not a reply we wait for
    }
  }

  @Override
  public void close() throws Exception {
    socket.close();
    client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
