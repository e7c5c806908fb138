package dev.berth.dashboard.watch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.controlplane.auth.TokenStore;
import dev.berth.dashboard.stream.DashboardAddresses;
import dev.berth.model.JsonMapping;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.ServerWebSocket;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One authenticated watcher: the snapshot, then every change after it in order (changes that arrive
 * while the snapshot is on its way are held and those it already holds dropped), and the samples of
 * the one container or node it asked for. A watcher too slow to keep up is closed (1013) rather
 * than buffered without bound; it reconnects and starts from a new snapshot. Its token is checked
 * again every {@link #RECHECK_MILLIS}: revoked, the stream ends (1008).
 */
final class WatchSession {
  static final long RECHECK_MILLIS = 10_000;

  /** Largest message a watcher may send (a subscription). */
  static final int MAX_CLIENT_MESSAGE = 4096;

  /** Changes held while the snapshot is on its way; more and the watcher starts over. */
  static final int MAX_HELD = 10_000;

  private final Vertx vertx;
  private final ServerWebSocket ws;
  private final TokenStore tokens;
  private final String secret;
  private final Runnable onClose;
  private final List<Message<String>> held = new ArrayList<>();
  private long snapshotSeq = -1; // -1 until the snapshot went out
  private String samplesOfContainer;
  private String samplesOfNode;
  private MessageConsumer<String> changes;
  private MessageConsumer<String> samples;
  private long recheck;
  private boolean closed;

  WatchSession(
      Vertx vertx, ServerWebSocket ws, TokenStore tokens, String secret, Runnable onClose) {
    this.vertx = vertx;
    this.ws = ws;
    this.tokens = tokens;
    this.secret = secret;
    this.onClose = onClose;
  }

  void start() {
    ws.closeHandler(v -> close());
    ws.textMessageHandler(this::fromClient);
    changes = vertx.eventBus().localConsumer(DashboardAddresses.CHANGES, this::change);
    samples = vertx.eventBus().localConsumer(DashboardAddresses.SAMPLES, this::sample);
    recheck =
        vertx.setPeriodic(
            RECHECK_MILLIS,
            t -> {
              if (!WatchEndpoint.allowed(tokens, secret)) {
                end((short) 1008, "the token is no longer valid");
              }
            });
    vertx
        .eventBus()
        .<String>request(DashboardAddresses.SNAPSHOT, null)
        .onSuccess(
            m -> {
              send(m.body());
              snapshotSeq = Long.parseLong(m.headers().get("seq"));
              held.forEach(this::change);
              held.clear();
            })
        .onFailure(e -> end((short) 1011, "the fleet view is not available: " + e.getMessage()));
  }

  private void change(Message<String> m) {
    if (snapshotSeq < 0) {
      if (held.size() == MAX_HELD) {
        end((short) 1013, "the fleet changed too fast while the snapshot was made: reconnect");
        return;
      }
      held.add(m);
      return;
    }
    long seq = Long.parseLong(m.headers().get("seq"));
    if (seq < 0 || seq > snapshotSeq) {
      send(m.body());
    }
  }

  private void sample(Message<String> m) {
    if (snapshotSeq < 0) {
      return;
    }
    if ((samplesOfContainer != null && samplesOfContainer.equals(m.headers().get("container")))
        || (samplesOfNode != null && samplesOfNode.equals(m.headers().get("node")))) {
      send(m.body());
    }
  }

  /** {"samples": {"container": ID}} or {"samples": {"node": NAME}} or {"samples": null}. */
  private void fromClient(String text) {
    if (text.length() > MAX_CLIENT_MESSAGE) {
      end(
          (short) 1009,
          "messages to the watch stream are at most " + MAX_CLIENT_MESSAGE + " bytes");
      return;
    }
    JsonNode msg;
    try {
      msg = JsonMapping.mapper().readTree(text);
    } catch (IOException e) {
      end((short) 1007, "not JSON");
      return;
    }
    if (msg == null || !msg.has("samples")) {
      return; // (a late token message, or one this version does not know)
    }
    JsonNode s = msg.get("samples");
    samplesOfContainer = s.hasNonNull("container") ? s.get("container").asText() : null;
    samplesOfNode = s.hasNonNull("node") ? s.get("node").asText() : null;
    if (samplesOfContainer != null) {
      vertx
          .eventBus()
          .<String>request(DashboardAddresses.LAST_SAMPLE, samplesOfContainer)
          .onSuccess(
              m -> {
                if (m.body() != null) {
                  send(m.body());
                }
              });
    }
  }

  private void send(String text) {
    if (closed) {
      return;
    }
    if (ws.writeQueueFull()) {
      end((short) 1013, "too slow to follow the fleet: reconnect for a new snapshot");
      return;
    }
    ws.writeTextMessage(text);
  }

  private void end(short code, String reason) {
    if (!closed) {
      ws.close(code, reason.length() > 120 ? reason.substring(0, 120) : reason);
      close();
    }
  }

  private void close() {
    if (closed) {
      return;
    }
    closed = true;
    vertx.cancelTimer(recheck);
    changes.unregister();
    samples.unregister();
    held.clear();
    onClose.run();
  }
}
