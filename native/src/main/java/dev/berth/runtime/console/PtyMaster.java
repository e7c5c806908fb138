package dev.berth.runtime.console;

import dev.berth.runtime.libc.NativeException;
import java.io.IOException;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * The host's end of a container process's terminal: what the process writes is read here, what is
 * written here is its keyboard, and its window size is set here. Reads and writes block.
 */
public final class PtyMaster implements AutoCloseable {
  private static final int CHUNK = 16 * 1024;
  private final ConsoleLibC c = ConsoleLibC.get();
  private final int fd;
  private final Pointer readBuffer;
  private volatile boolean closed;

  PtyMaster(int fd) {
    this.fd = fd;
    this.readBuffer = Memory.allocateDirect(c.runtime, CHUNK);
  }

  /**
   * The next output (at most 16 KiB), or null at its end (every process holding the terminal is
   * gone: Linux answers EIO). Call from one thread.
   */
  public byte[] read() throws IOException {
    for (; ; ) {
      long n = c.libc.read(fd, readBuffer, CHUNK);
      if (n > 0) {
        byte[] out = new byte[(int) n];
        readBuffer.get(0, out, 0, (int) n);
        return out;
      }
      int errno = n < 0 ? c.errno() : 0;
      if (n < 0 && errno == ConsoleLibC.EINTR) {
        continue;
      }
      if (n == 0 || closed || errno == 5 /* EIO */) {
        return null;
      }
      throw new IOException("read from terminal: " + NativeException.errnoName(errno));
    }
  }

  /** Writes all of {@code bytes} (keystrokes). */
  public synchronized void write(byte[] bytes) throws IOException {
    Pointer buf = Memory.allocateDirect(c.runtime, Math.max(1, bytes.length));
    buf.put(0, bytes, 0, bytes.length);
    long done = 0;
    while (done < bytes.length) {
      long n = c.libc.write(fd, buf.slice(done), bytes.length - done);
      if (n < 0) {
        int errno = c.errno();
        if (errno == ConsoleLibC.EINTR) {
          continue;
        }
        throw new IOException("write to terminal: " + NativeException.errnoName(errno));
      }
      done += n;
    }
  }

  /** Sets the window size (the process gets SIGWINCH). */
  public void resize(int columns, int rows) throws IOException {
    if (columns < 1 || rows < 1 || columns > 1000 || rows > 1000) {
      throw new IllegalArgumentException(
          "a terminal is 1 to 1000 columns and rows (got " + columns + "x" + rows + ")");
    }
    Pointer ws = Memory.allocateDirect(c.runtime, 8); // struct winsize: rows, cols, x, y pixels
    ws.putShort(0, (short) rows);
    ws.putShort(2, (short) columns);
    ws.putShort(4, (short) 0);
    ws.putShort(6, (short) 0);
    if (c.libc.ioctl(fd, ConsoleLibC.TIOCSWINSZ, ws) != 0) {
      throw new IOException("TIOCSWINSZ on terminal: " + NativeException.errnoName(c.errno()));
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      c.libc.close(fd);
    }
  }
}
