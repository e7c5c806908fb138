package dev.berth.cli.local;

import dev.berth.agent.local.LocalContainer;
import dev.berth.agent.local.LocalContainers;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Future;

/**
 * A local container's output from its log files: stdout to stdout, stderr to stderr, optionally
 * only the last lines, optionally following until the container stops.
 */
public final class LocalLogs {
  private static final long POLL_MILLIS = 5;

  private LocalLogs() {}

  /** Prints {@code c}'s logs; with {@code follow}, until it has stopped and all is printed. */
  public static void print(
      LocalContainers local, LocalContainer c, int tail, boolean follow, String stream)
      throws IOException, InterruptedException {
    try (LogCopier out = copier(local, c, "stdout", System.out, tail, stream);
        LogCopier err = copier(local, c, "stderr", System.err, tail, stream)) {
      copyUntil(out, err, follow ? () -> stopped(local, c) : () -> true);
    }
  }

  /** Copies both until {@code done} says so, then what was written before it did. */
  static void copyUntil(LogCopier out, LogCopier err, Done done)
      throws IOException, InterruptedException {
    for (; ; ) {
      boolean finished = done.now(); // asked first: what comes after it is still copied below
      boolean any = (out != null && out.copy()) | (err != null && err.copy());
      if (finished) {
        return;
      }
      if (!any) {
        Thread.sleep(POLL_MILLIS);
      }
    }
  }

  /** Whether copying may end. */
  interface Done {
    boolean now() throws IOException;
  }

  /** Done once {@code exit} is. */
  static Done when(Future<?> exit) {
    return exit::isDone;
  }

  private static boolean stopped(LocalContainers local, LocalContainer c) {
    String status = local.status(c).status();
    return "stopped".equals(status) || "unknown".equals(status);
  }

  private static LogCopier copier(
      LocalContainers local,
      LocalContainer c,
      String name,
      OutputStream to,
      int tail,
      String stream)
      throws IOException {
    if (!stream.equals("all") && !stream.equals(name)) {
      return null;
    }
    Path file = local.logFile(c.id(), name);
    return new LogCopier(file, to, tail > 0 ? startOfLastLines(file, tail) : 0);
  }

  /** The offset where the last {@code lines} lines of {@code file} begin (read from its end). */
  static long startOfLastLines(Path file, int lines) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long end = ch.size();
      long pos = end;
      int seen = 0;
      ByteBuffer b = ByteBuffer.allocate(8192);
      while (pos > 0) {
        int n = (int) Math.min(b.capacity(), pos);
        pos -= n;
        b.clear().limit(n);
        while (b.hasRemaining() && ch.read(b, pos + b.position()) > 0) {
          // until the chunk is read
        }
        for (int i = n - 1; i >= 0; i--) {
          // a newline ending the file ends its last line; it does not start another
          if (b.get(i) == '\n' && pos + i != end - 1 && ++seen == lines) {
            return pos + i + 1;
          }
        }
      }
      return 0;
    }
  }
}
