package dev.berth.runtime.init;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** The plan sent to berth-init: records of NUL-terminated tokens, a tag then its fixed fields. */
public final class InitPlan {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(4096);

  /** Appends one record; fields are numbers or strings without NUL bytes. */
  public InitPlan add(String tag, Object... fields) {
    token(tag);
    for (Object f : fields) {
      token(String.valueOf(f));
    }
    return this;
  }

  private void token(String s) {
    if (s.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("a NUL byte cannot be passed to the container: \"" + s.replace('\0', '?') + "\"");
    }
    out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    out.write(0);
  }

  public byte[] toBytes() {
    ByteArrayOutputStream copy = new ByteArrayOutputStream(out.size() + 4);
    copy.writeBytes(out.toByteArray());
    copy.writeBytes("end\0".getBytes(StandardCharsets.UTF_8));
    return copy.toByteArray();
  }
}
