package dev.berth.cli.local;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Copies what a log file gains to an output, from where it last stopped. */
final class LogCopier implements AutoCloseable {
  private final FileChannel file;
  private final OutputStream out;
  private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);

  LogCopier(Path log, OutputStream out, long from) throws IOException {
    this.file = FileChannel.open(log, StandardOpenOption.READ);
    this.out = out;
    file.position(Math.min(from, file.size()));
  }

  /** Copies everything written since the last call; true when there was something. */
  boolean copy() throws IOException {
    boolean any = false;
    for (int n; (n = file.read(buffer.clear())) > 0; ) {
      out.write(buffer.array(), 0, n);
      any = true;
    }
    if (any) {
      out.flush();
    }
    return any;
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
