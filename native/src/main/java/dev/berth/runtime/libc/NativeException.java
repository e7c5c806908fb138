package dev.berth.runtime.libc;

import jnr.constants.platform.Errno;

/** A failed system call: which call, on what, and the errno by name. */
public class NativeException extends RuntimeException {
  private final int errno;

  public NativeException(String call, String what, int errno) {
    super(call + " " + what + ": " + errnoName(errno));
    this.errno = errno;
  }

  public int errno() {
    return errno;
  }

  public static String errnoName(int errno) {
    Errno e = Errno.valueOf(errno);
    return e == null || e.name().startsWith("__")
        ? "errno " + errno
        : e.name() + " (" + e.description() + ")";
  }
}
