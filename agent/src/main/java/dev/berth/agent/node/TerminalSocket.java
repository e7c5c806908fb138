package dev.berth.agent.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.agent.exec.TerminalSession;
import dev.berth.model.JsonMapping;
import dev.berth.model.concurrent.DaemonThreads;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/**
 * One terminal over a WebSocket (the node API's exec/tty, docs/api.md): the first text message says
 * what to run at what size ({"command": [...], "cols": C, "rows": R}); then binary frames are
 * keystrokes one way and output the other, {"resize": {"cols": C, "rows": R}} sizes the window, and
 * {"exit": N} ends it. The terminal is read by a thread of its own (output waits while the socket's
 * queue is full) and written by another, so a stuck terminal holds up nothing else; closing the
 * socket kills the command.
 */
final class TerminalSocket {
  /** The longest a terminal may stay open. */
  static final long MAX_MILLIS = 3600_000;

  /** A socket that never says what to run holds one of the node's execs this long at most. */
  static final long FIRST_MESSAGE_MILLIS = 10_000;

  private final Vertx vertx;
  private final ServerWebSocket ws;
  private final WorkerExecutor starter;
  private final Function<Request, TerminalSession> start;
  private final Runnable onEnd;
  private final ExecutorService writer = DaemonThreads.single("berth-terminal-in");
  private volatile TerminalSession session;
  private volatile boolean ended;

  /** What the first message asks for. */
  record Request(List<String> command, int columns, int rows) {}

  TerminalSocket(
      Vertx vertx,
      ServerWebSocket ws,
      WorkerExecutor starter,
      Function<Request, TerminalSession> start,
      Runnable onEnd) {
    this.vertx = vertx;
    this.ws = ws;
    this.starter = starter;
    this.start = start;
    this.onEnd = onEnd;
  }

  void run() {
    long limit = vertx.setTimer(MAX_MILLIS, t -> end(1000, "terminals last at most an hour"));
    long first =
        vertx.setTimer(
            FIRST_MESSAGE_MILLIS,
            t -> {
              if (!starting) {
                end(1008, "send what to run first");
              }
            });
    ws.closeHandler(
        v -> {
          vertx.cancelTimer(limit);
          vertx.cancelTimer(first);
          finish();
        });
    ws.textMessageHandler(
        text -> {
          JsonNode msg;
          try {
            msg = JsonMapping.mapper().readTree(text);
          } catch (IOException e) {
            end(1007, "not JSON");
            return;
          }
          if (session == null) {
            begin(msg);
          } else if (msg != null && msg.has("resize")) {
            int cols = msg.get("resize").path("cols").asInt();
            int rows = msg.get("resize").path("rows").asInt();
            writer.execute(
                () -> {
                  try {
                    session.terminal().resize(cols, rows);
                  } catch (IOException | IllegalArgumentException e) {
                    // a bad size is ignored: the terminal keeps the one it has
                  }
                });
          }
        });
    ws.binaryMessageHandler(
        bytes -> {
          TerminalSession s = session;
          if (s != null) {
            byte[] keys = bytes.getBytes();
            writer.execute(
                () -> {
                  try {
                    s.terminal().write(keys);
                  } catch (IOException e) {
                    // the command is ending: its exit message follows
                  }
                });
          }
        });
  }

  private boolean starting;

  private void begin(JsonNode msg) {
    if (starting) {
      return;
    }
    starting = true;
    Request r;
    try {
      r = request(msg);
    } catch (IllegalArgumentException e) {
      error(e.getMessage());
      return;
    }
    ws.pause(); // keystrokes sent while the command starts wait for it
    starter
        .executeBlocking(() -> start.apply(r), false)
        .onSuccess(
            s -> {
              session = s;
              ws.resume();
              if (ended) {
                s.close();
                return;
              }
              Thread reader = new Thread(() -> pump(s), "berth-terminal-out");
              reader.setDaemon(true);
              reader.start();
            })
        .onFailure(e -> error(e.getMessage()));
  }

  private static Request request(JsonNode msg) {
    if (msg == null || !msg.path("command").isArray() || msg.path("command").isEmpty()) {
      throw new IllegalArgumentException("command: a non-empty list of strings is required");
    }
    if (msg.get("command").size() > 256) {
      throw new IllegalArgumentException("command: at most 256 arguments");
    }
    List<String> command = new ArrayList<>();
    msg.get("command").forEach(c -> command.add(c.asText()));
    return new Request(command, msg.path("cols").asInt(80), msg.path("rows").asInt(24));
  }

  /** Output to the socket until the terminal ends, then the exit code. */
  private void pump(TerminalSession s) {
    try {
      for (byte[] out; (out = s.terminal().read()) != null && !ended; ) {
        while (ws.writeQueueFull() && !ended) {
          Thread.sleep(5);
        }
        ws.writeBinaryMessage(Buffer.buffer(out));
      }
      int code = s.exit().get();
      vertx.runOnContext(
          v -> {
            if (!ended) {
              ws.writeTextMessage("{\"exit\":" + code + "}");
              end(1000, "exited");
            }
          });
    } catch (IOException | java.util.concurrent.ExecutionException e) {
      vertx.runOnContext(v -> error("the terminal failed: " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void error(String message) {
    if (!ended) {
      ws.writeTextMessage(
          JsonMapping.writeCompact(JsonMapping.mapper().createObjectNode().put("error", message)));
      end(1011, "failed");
    }
  }

  private void end(int code, String reason) {
    if (!ended) {
      ws.close((short) code, reason);
      finish();
    }
  }

  private void finish() {
    if (ended) {
      return;
    }
    ended = true;
    TerminalSession s = session;
    writer.execute(
        () -> {
          if (s != null) {
            s.close();
          }
        });
    writer.shutdown();
    onEnd.run();
  }
}
