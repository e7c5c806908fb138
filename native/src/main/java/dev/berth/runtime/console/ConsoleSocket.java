package dev.berth.runtime.console;

import dev.berth.runtime.libc.NativeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * What containerd's shim does with --console-socket: listens on a unix socket, and takes the pty
 * master the runtime sends over SCM_RIGHTS once the process in the container has its terminal.
 */
public final class ConsoleSocket implements AutoCloseable {
  private final ConsoleLibC c = ConsoleLibC.get();
  private final Path path;
  private final int server;

  private ConsoleSocket(Path path, int server) {
    this.path = path;
    this.server = server;
  }

  /** Listens on {@code path} (which must not exist; at most 107 bytes long). */
  public static ConsoleSocket listen(Path path) throws IOException {
    ConsoleLibC c = ConsoleLibC.get();
    byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
    if (name.length > 107) {
      throw new IOException("console socket path " + path + " is longer than 107 bytes");
    }
    int fd =
        c.libc.socket(ConsoleLibC.AF_UNIX, ConsoleLibC.SOCK_STREAM | ConsoleLibC.SOCK_CLOEXEC, 0);
    if (fd < 0) {
      throw new IOException(
          "socket(AF_UNIX) for " + path + ": " + NativeException.errnoName(c.errno()));
    }
    Pointer addr = Memory.allocateDirect(c.runtime, 110);
    addr.putShort(0, (short) ConsoleLibC.AF_UNIX);
    addr.put(2, name, 0, name.length);
    addr.putByte(2 + name.length, (byte) 0);
    if (c.libc.bind(fd, addr, 110) != 0 || c.libc.listen(fd, 1) != 0) {
      int errno = c.errno();
      c.libc.close(fd);
      throw new IOException("cannot listen on " + path + ": " + NativeException.errnoName(errno));
    }
    return new ConsoleSocket(path, fd);
  }

  public Path path() {
    return path;
  }

  /** Waits for the runtime's connection and takes the pty master it sends. Blocking. */
  public PtyMaster accept() throws IOException {
    int conn = c.libc.accept4(server, null, null, ConsoleLibC.SOCK_CLOEXEC);
    if (conn < 0) {
      throw new IOException(
          "accept on console socket " + path + ": " + NativeException.errnoName(c.errno()));
    }
    try {
      Pointer data = Memory.allocateDirect(c.runtime, 16);
      Pointer iov = Memory.allocateDirect(c.runtime, 16); // struct iovec
      iov.putAddress(0, data.address());
      iov.putLong(8, 16);
      Pointer control = Memory.allocateDirect(c.runtime, 64);
      Pointer msg = Memory.allocateDirect(c.runtime, 56); // struct msghdr on 64-bit Linux
      msg.putAddress(0, 0);
      msg.putInt(8, 0);
      msg.putAddress(16, iov.address());
      msg.putLong(24, 1);
      msg.putAddress(32, control.address());
      msg.putLong(40, 64);
      msg.putInt(48, 0);
      if (c.libc.recvmsg(conn, msg, 0x40000000 /* MSG_CMSG_CLOEXEC */) < 0) {
        throw new IOException(
            "recvmsg on console socket " + path + ": " + NativeException.errnoName(c.errno()));
      }
      // struct cmsghdr: len (8), level (4), type (4), then the descriptor.
      if (control.getInt(8) != ConsoleLibC.SOL_SOCKET
          || control.getInt(12) != ConsoleLibC.SCM_RIGHTS) {
        throw new IOException("console socket " + path + ": the runtime sent no descriptor");
      }
      return new PtyMaster(control.getInt(16));
    } finally {
      c.libc.close(conn);
    }
  }

  /** Stops a blocked {@link #accept()} (it fails) when the runtime never connects. */
  public void abort() {
    c.libc.shutdown(server, 2);
  }

  @Override
  public void close() throws IOException {
    c.libc.close(server);
    Files.deleteIfExists(path);
  }
}
