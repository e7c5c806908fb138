package dev.berth.runtime.process;

import dev.berth.runtime.libc.LibC;
import dev.berth.runtime.libc.Native;
import dev.berth.runtime.libc.NativeException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.byref.IntByReference;

/**
 * Starts a {@link ChildProcess} with posix_spawn: stdio as {@link Redirect}s say (inherited, a file
 * read, written or appended to), every other descriptor closed (the JVM's sockets and files must
 * not outlive it in a container's monitor), no signal blocked, and SIGINT, SIGTERM, SIGHUP and
 * SIGPIPE at their defaults; the JVM's environment. Its pidfd goes to the reaper.
 */
public final class ProcessSpawner {
  private static final long SYS_PIDFD_OPEN = 434;
  private static final int O_RDONLY = 0;
  private static final int O_WRONLY = 01;
  private static final int O_CREAT = 0100;
  private static final int O_TRUNC = 01000;
  private static final int O_APPEND = 02000;
  private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
  private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
  private static final int[] DEFAULT_SIGNALS = {1, 2, 13, 15}; // HUP, INT, PIPE, TERM

  private ProcessSpawner() {}

  public static ChildProcess spawn(List<String> argv, Redirect in, Redirect out, Redirect err) {
    LibC libc = Native.libc();
    Runtime rt = Runtime.getRuntime(libc);
    List<Pointer> keep = new ArrayList<>(); // the strings must live until posix_spawn returns
    Pointer actions = Memory.allocateDirect(rt, 256); // posix_spawn_file_actions_t: 80 in glibc
    Pointer attributes = Memory.allocateDirect(rt, 1024); // posix_spawnattr_t: 336 in glibc
    check(libc.posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init", argv);
    check(libc.posix_spawnattr_init(attributes), "posix_spawnattr_init", argv);
    try {
      redirect(libc, actions, 0, in, argv);
      redirect(libc, actions, 1, out, argv);
      redirect(libc, actions, 2, err, argv);
      check(
          libc.posix_spawn_file_actions_addclosefrom_np(actions, 3),
          "posix_spawn_file_actions_addclosefrom_np",
          argv);
      Pointer noSignals = Memory.allocateDirect(rt, 128); // sigset_t, zeroed: empty
      noSignals.setMemory(0, 128, (byte) 0);
      Pointer defaults = Memory.allocateDirect(rt, 128);
      defaults.setMemory(0, 128, (byte) 0);
      long bits = 0;
      for (int s : DEFAULT_SIGNALS) {
        bits |= 1L << (s - 1);
      }
      defaults.putLong(0, bits);
      check(libc.posix_spawnattr_setsigmask(attributes, noSignals), "setsigmask", argv);
      check(libc.posix_spawnattr_setsigdefault(attributes, defaults), "setsigdefault", argv);
      check(
          libc.posix_spawnattr_setflags(
              attributes, (short) (POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)),
          "posix_spawnattr_setflags",
          argv);
      List<String> env = new ArrayList<>();
      for (Map.Entry<String, String> e : System.getenv().entrySet()) {
        env.add(e.getKey() + "=" + e.getValue());
      }
      IntByReference pid = new IntByReference();
      check(
          libc.posix_spawn(
              pid,
              argv.get(0),
              actions,
              attributes,
              strings(rt, argv, keep),
              strings(rt, env, keep)),
          "posix_spawn",
          argv);
      int pidfd = (int) libc.syscall(SYS_PIDFD_OPEN, pid.intValue(), 0, 0, 0);
      if (pidfd < 0) {
        // cannot happen for an unreaped child of ours short of running out of descriptors
        int errno = Native.errno();
        Native.kill(pid.intValue(), 9);
        throw new NativeException("pidfd_open", "pid " + pid.intValue(), errno);
      }
      ChildProcess child = new ChildProcess(pid.intValue(), pidfd);
      ChildReaper.watch(child);
      return child;
    } finally {
      libc.posix_spawn_file_actions_destroy(actions);
      libc.posix_spawnattr_destroy(attributes);
    }
  }

  private static void redirect(LibC libc, Pointer actions, int fd, Redirect r, List<String> argv) {
    int flags;
    switch (r.type()) {
      case INHERIT:
        return;
      case READ:
        flags = O_RDONLY;
        break;
      case WRITE:
        flags = O_WRONLY | O_CREAT | O_TRUNC;
        break;
      case APPEND:
        flags = O_WRONLY | O_CREAT | O_APPEND;
        break;
      default:
        throw new IllegalArgumentException(
            "stdio " + fd + " of " + argv.get(0) + ": " + r + " is not supported (no pipes)");
    }
    check(
        libc.posix_spawn_file_actions_addopen(actions, fd, r.file().getPath(), flags, 0644),
        "posix_spawn_file_actions_addopen " + r.file(),
        argv);
  }

  /** A NULL-terminated char*[] of {@code values}, its memory held by {@code keep}. */
  private static Pointer strings(Runtime rt, List<String> values, List<Pointer> keep) {
    int size = rt.addressSize();
    Pointer array = Memory.allocateDirect(rt, (long) (values.size() + 1) * size);
    for (int i = 0; i < values.size(); i++) {
      byte[] bytes = values.get(i).getBytes(StandardCharsets.UTF_8);
      Pointer s = Memory.allocateDirect(rt, bytes.length + 1);
      s.put(0, bytes, 0, bytes.length);
      s.putByte(bytes.length, (byte) 0);
      keep.add(s);
      array.putPointer((long) i * size, s);
    }
    array.putPointer((long) values.size() * size, null);
    keep.add(array);
    return array;
  }

  /** posix_spawn and its helpers return the error number instead of setting errno. */
  private static void check(int result, String call, List<String> argv) {
    if (result != 0) {
      throw new NativeException(call, argv.get(0), result);
    }
  }
}
