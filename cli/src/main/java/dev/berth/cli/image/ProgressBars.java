package dev.berth.cli.image;

import dev.berth.agent.images.registry.PullProgress;
import dev.berth.model.image.Digest;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One progress bar per blob. On a terminal the bars are redrawn in place (at most ten times a
 * second); otherwise each blob gets one line when it completes, so logs stay readable.
 */
final class ProgressBars implements PullProgress {
  private static final int WIDTH = 30;
  private final PrintStream out;
  private final boolean terminal;
  private final Map<Digest, long[]> blobs = new LinkedHashMap<>();
  private long lastDraw;
  private int drawnLines;

  ProgressBars(PrintStream out) {
    this.out = out;
    this.terminal = System.console() != null;
  }

  @Override
  public synchronized void update(Digest blob, long done, long total) {
    long[] state = blobs.computeIfAbsent(blob, b -> new long[] {0, total});
    boolean finished = done >= total && state[0] < total;
    state[0] = done;
    if (!terminal) {
      if (finished) {
        out.println(line(blob, state));
      }
      return;
    }
    long now = System.nanoTime();
    if (finished || now - lastDraw > 100_000_000L) {
      lastDraw = now;
      redraw();
    }
  }

  private void redraw() {
    if (drawnLines > 0) {
      out.print("\033[" + drawnLines + "A");
    }
    for (Map.Entry<Digest, long[]> e : blobs.entrySet()) {
      out.println("\033[2K" + line(e.getKey(), e.getValue()));
    }
    drawnLines = blobs.size();
    out.flush();
  }

  private static String line(Digest blob, long[] state) {
    long done = state[0];
    long total = Math.max(1, state[1]);
    int filled = (int) (WIDTH * Math.min(done, total) / total);
    return String.format(
        "%s [%s%s] %s / %s",
        blob.encoded().substring(0, 12),
        "=".repeat(filled),
        " ".repeat(WIDTH - filled),
        size(done),
        size(total));
  }

  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return String.format("%.1f KiB", bytes / 1024.0);
    }
    return String.format("%.1f MiB", bytes / (1024.0 * 1024));
  }
}
