package dev.berth.controlplane.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.FileHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * Where the request log goes: lines are queued without blocking (the event loop hands them over)
 * and one thread appends them to {@code FILE.N.log} files of at most 10 MiB, three kept (JUL's
 * FileHandler rotates them). When the queue is full a line is dropped, never waited for, and the
 * log says how many were.
 */
public final class RequestLogFile implements Consumer<String>, AutoCloseable {
  private static final int QUEUE = 10_000;
  private static final int FILE_BYTES = 10 << 20;
  private static final int FILES = 3;

  private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(QUEUE);
  private final AtomicLong dropped = new AtomicLong();
  private final FileHandler file;
  private final Thread writer;
  private volatile boolean closed;

  private RequestLogFile(FileHandler file) {
    this.file = file;
    this.writer = new Thread(this::drain, "berth-request-log");
    this.writer.setDaemon(true);
  }

  /** Appends to {@code prefix}.0.log and its rotations ({@code prefix}.1.log, ...). */
  public static RequestLogFile open(Path prefix) {
    try {
      Files.createDirectories(prefix.toAbsolutePath().getParent());
      FileHandler h = new FileHandler(prefix + ".%g.log", FILE_BYTES, FILES, true);
      h.setFormatter(
          new Formatter() {
            @Override
            public String format(LogRecord r) {
              return r.getInstant() + " " + r.getMessage() + "\n";
            }
          });
      RequestLogFile log = new RequestLogFile(h);
      log.writer.start();
      return log;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot open the request log " + prefix + ".0.log: " + e.getMessage(), e);
    }
  }

  @Override
  public void accept(String line) {
    if (!lines.offer(line)) {
      dropped.incrementAndGet();
    }
  }

  private void drain() {
    try {
      while (!closed || !lines.isEmpty()) {
        String line = lines.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
        long lost = dropped.getAndSet(0);
        if (lost > 0) {
          file.publish(
              new LogRecord(
                  Level.INFO,
                  "(" + lost + " request lines dropped: more came than could be written)"));
        }
        if (line != null) {
          file.publish(new LogRecord(Level.INFO, line));
          if (lines.isEmpty()) {
            file.flush();
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      file.close();
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      writer.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
