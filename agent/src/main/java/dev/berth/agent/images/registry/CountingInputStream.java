package dev.berth.agent.images.registry;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongConsumer;

/** Reports the running byte count of a stream as it is read. */
final class CountingInputStream extends FilterInputStream {
  private final LongConsumer onCount;
  private long count;

  CountingInputStream(InputStream in, long start, LongConsumer onCount) {
    super(in);
    this.count = start;
    this.onCount = onCount;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      onCount.accept(++count);
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = super.read(buf, off, len);
    if (n > 0) {
      count += n;
      onCount.accept(count);
    }
    return n;
  }
}
