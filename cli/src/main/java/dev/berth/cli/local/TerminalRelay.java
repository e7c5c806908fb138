package dev.berth.cli.local;

import dev.berth.runtime.console.PtyMaster;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import sun.misc.Signal;

/**
 * Joins this command's terminal to a container's pty, as `podman run -it`: the local terminal in
 * raw mode (stty, restored after), keystrokes to the container, its output here, the window size
 * followed (SIGWINCH).
 */
final class TerminalRelay {
  private TerminalRelay() {}

  /** Whether stdin is a terminal (what -t needs). */
  static boolean stdinIsTerminal() {
    return System.console() != null && new File("/dev/tty").canRead();
  }

  /** Relays until the container's process exits; returns its exit code. */
  static int relay(PtyMaster master, CompletableFuture<Integer> exit)
      throws IOException, InterruptedException {
    String saved = stty("-g").trim();
    resize(master);
    Signal.handle(new Signal("WINCH"), s -> resize(master));
    stty("raw", "-echo");
    try {
      InputStream in = new FileInputStream(java.io.FileDescriptor.in);
      Thread keys =
          new Thread(
              () -> {
                byte[] buf = new byte[4096];
                try {
                  for (int n; (n = in.read(buf)) > 0; ) {
                    master.write(java.util.Arrays.copyOf(buf, n));
                  }
                } catch (IOException e) {
                  // the container's side closed: its process is gone
                }
              },
              "berth-tty-in");
      keys.setDaemon(true);
      keys.start();
      OutputStream out = new FileOutputStream(java.io.FileDescriptor.out);
      for (byte[] b; (b = master.read()) != null; ) {
        out.write(b);
        out.flush();
      }
      keys.interrupt();
      return exit.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("the container's exit status: " + e.getMessage(), e);
    } finally {
      stty(saved);
      master.close();
    }
  }

  private static void resize(PtyMaster master) {
    try {
      String[] size = stty("size").trim().split("\\s+"); // "rows columns"
      master.resize(Integer.parseInt(size[1]), Integer.parseInt(size[0]));
    } catch (IOException | RuntimeException e) {
      // not a terminal's size to be had: the container keeps its default
    }
  }

  /** Runs stty on this command's terminal; its output. */
  private static String stty(String... args) throws IOException {
    String[] cmd = new String[args.length + 1];
    cmd[0] = "stty";
    System.arraycopy(args, 0, cmd, 1, args.length);
    Process p =
        new ProcessBuilder(cmd)
            .redirectInput(new File("/dev/tty"))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IOException("stty " + String.join(" ", args) + " failed");
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted waiting for stty", e);
    }
  }
}
