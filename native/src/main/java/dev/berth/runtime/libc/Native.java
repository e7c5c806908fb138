package dev.berth.runtime.libc;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Platform;
import jnr.ffi.Runtime;
import jnr.ffi.byref.IntByReference;

/**
 * Loads libc once and wraps each call so that a failure throws with the call, the path and the
 * errno name.
 */
public final class Native {
  public static final int O_WRONLY = 01;
  public static final int O_NONBLOCK = 04000;
  public static final int O_CLOEXEC = 02000000;
  public static final int O_PATH = 010000000;
  public static final int O_DIRECTORY = 0200000;
  public static final int PR_SET_CHILD_SUBREAPER = 36;
  public static final int AT_FDCWD = -100;
  public static final int AT_SYMLINK_NOFOLLOW = 0x100;
  public static final int MNT_DETACH = 2;
  public static final int ENOENT = 2;
  public static final int EINVAL = 22;
  public static final int ESRCH = 3;
  public static final int EINTR = 4;
  public static final int ENXIO = 6;

  private static final LibC LIBC =
      LibraryLoader.create(LibC.class).load(Platform.getNativePlatform().getStandardCLibraryName());

  private Native() {}

  public static LibC libc() {
    return LIBC;
  }

  public static int errno() {
    return Runtime.getRuntime(LIBC).getLastError();
  }

  /** Sends a signal; false when the process no longer exists. */
  public static boolean kill(int pid, int signal) {
    if (LIBC.kill(pid, signal) == 0) {
      return true;
    }
    int e = errno();
    if (e == ESRCH) {
      return false;
    }
    throw new NativeException("kill", "pid " + pid, e);
  }

  /**
   * Gives {@code signal} back its default action if it was ignored; true when it was. A process
   * started with SIGINT ignored (a shell's background job) would otherwise never see it: the JVM
   * installs no handler for a signal ignored at its start.
   */
  public static boolean unignore(int signal) {
    if (!ignored(signal)) {
      return false; // the JVM's handler, or the default: left as it is
    }
    LIBC.signal(signal, null);
    return true;
  }

  /** Whether {@code signal} is ignored, from the SigIgn mask in /proc/self/status. */
  static boolean ignored(int signal) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("SigIgn:")) {
          return new BigInteger(line.substring(7).strip(), 16).testBit(signal - 1);
        }
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  public static void mkfifo(String path, int mode) {
    if (LIBC.mkfifo(path, mode) != 0) {
      throw new NativeException("mkfifo", path, errno());
    }
  }

  /** Creates a device node or fifo; {@code mode} includes the S_IF* type bits. */
  public static void mknod(String path, int mode, int major, int minor) {
    long dev =
        ((long) (major & 0xfff) << 8)
            | (minor & 0xff)
            | ((long) (minor & ~0xff) << 12)
            | ((long) (major & ~0xfff) << 32);
    if (LIBC.mknod(path, mode, dev) != 0) {
      throw new NativeException("mknod", path, errno());
    }
  }

  /** Sets an extended attribute on a path without following a final symlink. */
  public static void lsetxattr(String path, String name, byte[] value) {
    if (LIBC.lsetxattr(path, name, value, value.length, 0) != 0) {
      throw new NativeException("lsetxattr " + name, path, errno());
    }
  }

  /**
   * Sets access and modification time without opening the file or following a final symlink (the
   * JDK opens it, which blocks on a fifo).
   */
  public static void setTimes(String path, long epochSecond, int nanos) {
    long[] times = {epochSecond, nanos, epochSecond, nanos};
    if (LIBC.utimensat(AT_FDCWD, path, times, AT_SYMLINK_NOFOLLOW) != 0) {
      throw new NativeException("utimensat", path, errno());
    }
  }

  /** Mounts a filesystem (overlay snapshots); the error names the target and the errno. */
  public static void mount(String source, String target, String fstype, long flags, String data) {
    if (LIBC.mount(source, target, fstype, flags, data) != 0) {
      throw new NativeException("mount " + fstype + " (" + data + ")", target, errno());
    }
  }

  /**
   * Opens a directory as an O_PATH descriptor: a short name for it, /proc/self/fd/N, that mount(2)
   * follows.
   */
  public static int openDirectoryPath(String path) {
    int fd = LIBC.open(path, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
    if (fd < 0) {
      throw new NativeException("open", path, errno());
    }
    return fd;
  }

  /**
   * Ends this process now with {@code status}, as a C program's _exit: no shutdown hooks, and no
   * wait. A short-lived command whose work is done uses it because HotSpot's exit waits up to 300
   * ms for threads blocked in native calls (the child reaper's waitpid) before it lets the process
   * go.
   */
  public static void exitNow(int status) {
    LIBC._exit(status);
  }

  public static void close(int fd) {
    LIBC.close(fd);
  }

  /** Detaches a mount; false when nothing was mounted there. */
  public static boolean unmount(String target) {
    if (LIBC.umount2(target, MNT_DETACH) == 0) {
      return true;
    }
    int e = errno();
    if (e == EINVAL || e == ENOENT) {
      return false;
    }
    throw new NativeException("umount2", target, e);
  }

  /**
   * Makes this process adopt orphaned descendants, so that it can wait for a container it did not
   * fork itself.
   */
  public static void becomeSubreaper() {
    if (LIBC.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) {
      throw new NativeException("prctl PR_SET_CHILD_SUBREAPER", "self", errno());
    }
  }

  /**
   * Waits for a child (or adopted) process and returns its exit code, 128+signal when a signal
   * killed it.
   */
  public static int waitForExit(int pid) {
    IntByReference status = new IntByReference();
    while (true) {
      int r = LIBC.waitpid(pid, status, 0);
      if (r == pid) {
        int s = status.intValue();
        int signal = s & 0x7f;
        return signal == 0 ? (s >> 8) & 0xff : 128 + signal;
      }
      int e = errno();
      if (e != EINTR) {
        throw new NativeException("waitpid", "pid " + pid, e);
      }
    }
  }
}
