package dev.berth.cli.runc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.JsonMapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import picocli.CommandLine;

/**
 * Reports a failed command as runc does: a message on stderr, a line in --log (text or json), exit
 * status 1.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler {
  private final RuncMain main;

  ErrorReporter(RuncMain main) {
    this.main = main;
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
    return report(e, main.log, main.logFormat);
  }

  /** Reports {@code e} on stderr and in {@code log} (null: none) as runc would; returns 1. */
  static int report(Exception e, Path log, String logFormat) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    System.err.println("berth-runc: " + message);
    if (log != null) {
      try {
        String line;
        if ("json".equals(logFormat)) {
          ObjectNode n = JsonMapping.mapper().createObjectNode();
          n.put("level", "error").put("msg", message).put("time", Instant.now().toString());
          line = JsonMapping.writeCompact(n);
        } else {
          line =
              "time=\""
                  + Instant.now()
                  + "\" level=error msg=\""
                  + message.replace("\"", "\\\"")
                  + "\"";
        }
        Files.writeString(log, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      } catch (IOException ignored) {
        // stderr already has it
      }
    }
    return 1;
  }
}
