package dev.berth.agent.images.unpack;

/**
 * What one layer may cost to unpack, so a hostile image cannot fill the disk or the heap: the tar
 * may grow to {@code expansionRatio} times the compressed bytes read so far (never limited below
 * {@code expansionFloor}), to {@code maxLayerBytes} at most; a tar header with its long name or PAX
 * records may be {@code maxHeaderBytes} long.
 */
public record UnpackLimits(
    long expansionRatio, long expansionFloor, long maxLayerBytes, int maxHeaderBytes) {
  /** 100x past 512 MiB, 64 GiB a layer, 1 MiB of header (libarchive's long-standing PAX limit). */
  public static final UnpackLimits DEFAULT = new UnpackLimits(100, 512L << 20, 64L << 30, 1 << 20);

  public UnpackLimits {
    if (expansionRatio < 1 || expansionFloor < 0 || maxLayerBytes < 1 || maxHeaderBytes < 1024) {
      throw new IllegalArgumentException(
          "unpack limits out of range: ratio "
              + expansionRatio
              + ", floor "
              + expansionFloor
              + ", layer "
              + maxLayerBytes
              + ", header "
              + maxHeaderBytes);
    }
  }
}
