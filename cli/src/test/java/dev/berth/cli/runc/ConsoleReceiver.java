package dev.berth.cli.runc;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * What containerd's shim does with --console-socket: listens on a unix socket, receives the pty
 * master over SCM_RIGHTS, and reads the container's terminal from it. The JDK cannot receive file
 * descriptors, so this uses libc through jnr-ffi.
 */
final class ConsoleReceiver implements AutoCloseable {
  /** The libc calls a console socket server needs. */
  public interface Sockets {
    int socket(int domain, int type, int protocol);

    int bind(int fd, Pointer addr, int len);

    int listen(int fd, int backlog);

    int accept(int fd, Pointer addr, Pointer len);

    long recvmsg(int fd, Pointer msg, int flags);

    long read(int fd, Pointer buf, long count);

    int close(int fd);
  }

  private static final int AF_UNIX = 1;
  private static final int SOCK_STREAM = 1;
  private static final int SOL_SOCKET = 1;
  private static final int SCM_RIGHTS = 1;

  private final Sockets libc = LibraryLoader.create(Sockets.class).load("c");
  private final Runtime runtime = Runtime.getRuntime(libc);
  private final Path path;
  private final int server;
  private int master = -1;

  ConsoleReceiver(Path path) {
    this.path = path;
    server = libc.socket(AF_UNIX, SOCK_STREAM, 0);
    Pointer addr = Memory.allocateDirect(runtime, 110);
    addr.putShort(0, (short) AF_UNIX);
    addr.putString(2, path.toString(), 107, StandardCharsets.UTF_8);
    if (server < 0 || libc.bind(server, addr, 110) != 0 || libc.listen(server, 1) != 0) {
      throw new IllegalStateException(
          "cannot listen on " + path + ": errno " + runtime.getLastError());
    }
  }

  /** Accepts the runtime's connection and takes the file descriptor it sends. */
  boolean awaitFd() {
    int conn = libc.accept(server, null, null);
    if (conn < 0) {
      return false;
    }
    try {
      Pointer data = Memory.allocateDirect(runtime, 16);
      Pointer iov = Memory.allocateDirect(runtime, 16); // struct iovec
      iov.putAddress(0, data.address());
      iov.putLong(8, 16);
      Pointer control = Memory.allocateDirect(runtime, 64);
      Pointer msg = Memory.allocateDirect(runtime, 56); // struct msghdr on x86_64
      msg.putAddress(0, 0);
      msg.putInt(8, 0);
      msg.putAddress(16, iov.address());
      msg.putLong(24, 1);
      msg.putAddress(32, control.address());
      msg.putLong(40, 64);
      msg.putInt(48, 0);
      if (libc.recvmsg(conn, msg, 0) < 0) {
        return false;
      }
      // struct cmsghdr: len (8), level (4), type (4), then the descriptor.
      if (control.getInt(8) != SOL_SOCKET || control.getInt(12) != SCM_RIGHTS) {
        return false;
      }
      master = control.getInt(16);
      return master >= 0;
    } finally {
      libc.close(conn);
    }
  }

  /** Reads the terminal until {@code marker} appears or the pty closes. */
  String readUntil(String marker) {
    StringBuilder out = new StringBuilder();
    Pointer buf = Memory.allocateDirect(runtime, 4096);
    while (!out.toString().contains(marker)) {
      long n = libc.read(master, buf, 4096);
      if (n <= 0) {
        break;
      }
      byte[] bytes = new byte[(int) n];
      buf.get(0, bytes, 0, (int) n);
      out.append(new String(bytes, StandardCharsets.UTF_8));
    }
    return out.toString();
  }

  @Override
  public void close() throws Exception {
    if (master >= 0) {
      libc.close(master);
    }
    libc.close(server);
    Files.deleteIfExists(path);
  }
}
