package dev.berth.runtime.process;

import dev.berth.runtime.libc.Native;
import dev.berth.runtime.libc.NativeException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import jnr.ffi.Memory;
import jnr.ffi.Platform;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * The one thread that waits for every {@link ChildProcess}: each child's pidfd is in an epoll set;
 * when one becomes readable the child has exited, and waitid(P_PIDFD) collects its status. The
 * JDK's {@link Process} instead parks a reaper thread in waitpid for every child it starts.
 */
final class ChildReaper implements Runnable {
  private static final Logger LOG = Logger.getLogger(ChildReaper.class.getName());
  private static final int EPOLL_CLOEXEC = 02000000;
  private static final int EPOLL_CTL_ADD = 1;
  private static final int EPOLL_CTL_DEL = 2;
  private static final int EPOLLIN = 1;
  private static final int P_PIDFD = 3;
  private static final int WEXITED = 4;
  private static final int CLD_EXITED = 1;
  private static final int MAX_EVENTS = 64;

  /** struct epoll_event is packed on x86-64 (12 bytes), naturally aligned elsewhere (16). */
  private static final boolean PACKED =
      Platform.getNativePlatform().getCPU() == Platform.CPU.X86_64;

  private static final int EVENT_SIZE = PACKED ? 12 : 16;
  private static final int DATA_OFFSET = PACKED ? 4 : 8;

  private static final ChildReaper INSTANCE = new ChildReaper();

  private final Runtime runtime = Runtime.getRuntime(Native.libc());
  private final Map<Integer, ChildProcess> byPidfd = new ConcurrentHashMap<>();
  private final int epfd;

  private ChildReaper() {
    epfd = Native.libc().epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) {
      throw new NativeException("epoll_create1", "the child reaper", Native.errno());
    }
    Thread t = new Thread(this, "berth-child-reaper");
    t.setDaemon(true);
    t.start();
    ReaperThread.started = true;
  }

  /** Starts waiting for {@code child}; it may have exited already (its pidfd is then readable). */
  static void watch(ChildProcess child) {
    INSTANCE.add(child);
  }

  /** How many children are being waited for. */
  static int watched() {
    return INSTANCE.byPidfd.size();
  }

  private void add(ChildProcess child) {
    int fd = child.pidfd();
    byPidfd.put(fd, child);
    Pointer event = Memory.allocateDirect(runtime, 16);
    event.putInt(0, EPOLLIN);
    event.putLong(DATA_OFFSET, fd);
    if (Native.libc().epoll_ctl(epfd, EPOLL_CTL_ADD, fd, event) != 0) {
      int errno = Native.errno();
      byPidfd.remove(fd);
      throw new NativeException("epoll_ctl ADD", "pidfd of pid " + child.pid(), errno);
    }
  }

  @Override
  public void run() {
    Pointer events = Memory.allocateDirect(runtime, EVENT_SIZE * MAX_EVENTS);
    Pointer info = Memory.allocateDirect(runtime, 128); // siginfo_t
    while (true) {
      int n = Native.libc().epoll_wait(epfd, events, MAX_EVENTS, -1);
      if (n < 0) {
        int errno = Native.errno();
        if (errno != Native.EINTR) {
          LOG.severe("epoll_wait: " + NativeException.errnoName(errno));
          sleepABit();
        }
        continue;
      }
      for (int i = 0; i < n; i++) {
        reap((int) events.getLong((long) i * EVENT_SIZE + DATA_OFFSET), info);
      }
    }
  }

  private void reap(int fd, Pointer info) {
    ChildProcess child = byPidfd.remove(fd);
    Native.libc().epoll_ctl(epfd, EPOLL_CTL_DEL, fd, null);
    if (child == null) {
      return;
    }
    info.setMemory(0, 128, (byte) 0);
    if (Native.libc().waitid(P_PIDFD, fd, info, WEXITED) != 0) {
      child.lost(new NativeException("waitid P_PIDFD", "pid " + child.pid(), Native.errno()));
      return;
    }
    int code = info.getInt(8); // si_code
    int status = info.getInt(24); // si_status
    child.exited(code == CLD_EXITED ? status : 128 + status);
  }

  private static void sleepABit() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
