package dev.berth.runtime.console;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * The libc calls a console socket's server needs (the JDK can neither receive a descriptor over
 * SCM_RIGHTS nor size a terminal), loaded only by the commands that use a terminal.
 */
final class ConsoleLibC {
  /** The calls. */
  public interface Calls {
    int socket(int domain, int type, int protocol);

    int bind(int fd, Pointer addr, int len);

    int listen(int fd, int backlog);

    int accept4(int fd, Pointer addr, Pointer len, int flags);

    long recvmsg(int fd, Pointer msg, int flags);

    long read(int fd, Pointer buf, long count);

    long write(int fd, Pointer buf, long count);

    int ioctl(int fd, long request, Pointer arg);

    int close(int fd);

    int shutdown(int fd, int how);
  }

  static final int AF_UNIX = 1;
  static final int SOCK_STREAM = 1;
  static final int SOCK_CLOEXEC = 02000000;
  static final int SOL_SOCKET = 1;
  static final int SCM_RIGHTS = 1;
  static final long TIOCSWINSZ = 0x5414;
  static final int EINTR = 4;
  static final int EAGAIN = 11;

  private static volatile ConsoleLibC instance;
  final Calls libc;
  final Runtime runtime;

  private ConsoleLibC() {
    libc = LibraryLoader.create(Calls.class).load("c");
    runtime = Runtime.getRuntime(libc);
  }

  static ConsoleLibC get() {
    ConsoleLibC c = instance;
    if (c == null) {
      synchronized (ConsoleLibC.class) {
        if (instance == null) {
          instance = new ConsoleLibC();
        }
        c = instance;
      }
    }
    return c;
  }

  int errno() {
    return runtime.getLastError();
  }
}
