package dev.berth.agent.images.unpack;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The counters that bound one layer's unpacking: {@link #compressed} counts what is read from the
 * blob, {@link #expanded} wraps the decompressed tar and stops a decompression bomb as soon as it
 * outgrows its limits, and {@link #headers} wraps the tar reader's input so that a header (a GNU
 * long name, a PAX record set) cannot be larger than allowed: it is armed around each getNextEntry
 * only.
 */
final class GuardedLayerStream {
  private final UnpackLimits limits;
  private long compressedBytes;
  private long expandedBytes;
  private long headerBudget = -1;

  GuardedLayerStream(UnpackLimits limits) {
    this.limits = limits;
  }

  InputStream compressed(InputStream in) {
    return new Counting(in) {
      @Override
      void counted(int n) {
        compressedBytes += n;
      }
    };
  }

  InputStream expanded(InputStream in) {
    return new Counting(in) {
      @Override
      void counted(int n) throws IOException {
        expandedBytes += n;
        if (expandedBytes > limits.maxLayerBytes()) {
          throw new LimitExceededException(
              "the uncompressed layer is larger than "
                  + limits.maxLayerBytes()
                  + " bytes, the most one layer may be");
        }
        long allowed =
            Math.max(limits.expansionFloor(), multiply(compressedBytes, limits.expansionRatio()));
        if (expandedBytes > allowed) {
          throw new LimitExceededException(
              "decompression bomb: "
                  + compressedBytes
                  + " compressed bytes expanded to "
                  + expandedBytes
                  + " (more than "
                  + limits.expansionRatio()
                  + " times, past "
                  + limits.expansionFloor()
                  + " bytes)");
        }
      }
    };
  }

  InputStream headers(InputStream in) {
    return new Counting(in) {
      @Override
      void counted(int n) throws IOException {
        if (headerBudget >= 0) {
          headerBudget -= n;
          if (headerBudget < 0) {
            throw new LimitExceededException(
                "a tar header (long name or PAX records) is larger than "
                    + limits.maxHeaderBytes()
                    + " bytes");
          }
        }
      }
    };
  }

  /** Counts the next header's bytes against the budget until {@link #endHeader}. */
  void beginHeader() {
    headerBudget = limits.maxHeaderBytes() + 1024L; // the header records around it
  }

  void endHeader() {
    headerBudget = -1;
  }

  private static long multiply(long a, long b) {
    long r = a * b;
    return a != 0 && r / a != b ? Long.MAX_VALUE : r;
  }

  /** A stream that reports each read's size before handing the bytes on. */
  private abstract static class Counting extends FilterInputStream {
    Counting(InputStream in) {
      super(in);
    }

    abstract void counted(int n) throws IOException;

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        counted(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = super.read(buf, off, len);
      if (n > 0) {
        counted(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      // Skipped bytes are read, so that they count too.
      byte[] buf = new byte[(int) Math.min(8192, Math.max(1, n))];
      long done = 0;
      while (done < n) {
        int r = read(buf, 0, (int) Math.min(buf.length, n - done));
        if (r < 0) {
          break;
        }
        done += r;
      }
      return done;
    }
  }
}
