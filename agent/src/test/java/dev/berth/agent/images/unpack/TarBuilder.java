package dev.berth.agent.images.unpack;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Builds layer tarballs for tests, with whatever entries (good or hostile) a test needs. */
public final class TarBuilder {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TarArchiveOutputStream tar;

  public TarBuilder() {
    tar = new TarArchiveOutputStream(bytes);
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
  }

  public TarBuilder dir(String name, int mode) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", true);
    e.setMode(mode);
    e.setModTime(new Date(1_000_000_000_000L));
    return put(e, null);
  }

  public TarBuilder file(String name, String content) throws IOException {
    return file(name, content, 0644, 0, 0, Map.of());
  }

  public TarBuilder file(
      String name, String content, int mode, int uid, int gid, Map<String, String> xattrs)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, true); // keep hostile names as given
    byte[] data = content.getBytes(StandardCharsets.UTF_8);
    e.setSize(data.length);
    e.setMode(mode);
    e.setUserId(uid);
    e.setGroupId(gid);
    e.setModTime(new Date(1_500_000_000_000L));
    xattrs.forEach((k, v) -> e.addPaxHeader("SCHILY.xattr." + k, v));
    return put(e, data);
  }

  public TarBuilder symlink(String name, String target) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
    e.setLinkName(target);
    return put(e, null);
  }

  public TarBuilder hardlink(String name, String target) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
    e.setLinkName(target);
    return put(e, null);
  }

  public TarBuilder charDevice(String name, int major, int minor) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_CHR, true);
    e.setDevMajor(major);
    e.setDevMinor(minor);
    e.setMode(0666);
    return put(e, null);
  }

  public TarBuilder fifo(String name) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_FIFO, true);
    e.setMode(0600);
    return put(e, null);
  }

  private TarBuilder put(TarArchiveEntry e, byte[] data) throws IOException {
    tar.putArchiveEntry(e);
    if (data != null) {
      tar.write(data);
    }
    tar.closeArchiveEntry();
    return this;
  }

  public byte[] tar() throws IOException {
    tar.finish();
    return bytes.toByteArray();
  }

  public byte[] compressed(String compression) throws IOException {
    byte[] plain = tar();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream c =
        compression.equals("gzip")
            ? new GzipCompressorOutputStream(out)
            : new ZstdOutputStream(out)) {
      c.write(plain);
    }
    return out.toByteArray();
  }
}
