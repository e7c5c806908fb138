package dev.berth.runtime.libc;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.Out;
import jnr.ffi.byref.IntByReference;

/**
 * The libc calls the Java half of the runtime makes; everything between clone and execve is in
 * berth-init.
 */
public interface LibC {
  int kill(int pid, int signal);

  void _exit(int status);

  int geteuid();

  int getegid();

  int waitpid(int pid, @Out IntByReference status, int options);

  int prctl(int option, long arg2, long arg3, long arg4, long arg5);

  int mkfifo(String path, int mode);

  /** signal(2): returns the previous handler (SIG_DFL 0, SIG_IGN 1, SIG_ERR -1). */
  Pointer signal(int signum, Pointer handler);

  int open(String path, int flags, int mode);

  int write(int fd, byte[] buf, long count);

  int close(int fd);

  int mknod(String path, int mode, long dev);

  int lsetxattr(String path, String name, byte[] value, long size, int flags);

  int utimensat(int dirfd, String path, long[] times, int flags);

  int mount(String source, String target, String fstype, long flags, String data);

  int umount2(String target, int flags);

  // idmapped mounts (glibc 2.36 wraps the new mount API)

  int open_tree(int dfd, String path, int flags);

  int mount_setattr(int dfd, String path, int flags, Pointer attr, long size);

  // starting and reaping children without a thread each (ChildProcess, ChildReaper)

  int posix_spawn(
      @Out IntByReference pid,
      String path,
      Pointer fileActions,
      Pointer attributes,
      Pointer argv,
      Pointer envp);

  int posix_spawn_file_actions_init(Pointer actions);

  int posix_spawn_file_actions_destroy(Pointer actions);

  int posix_spawn_file_actions_addopen(Pointer actions, int fd, String path, int flags, int mode);

  int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from);

  int posix_spawnattr_init(Pointer attributes);

  int posix_spawnattr_destroy(Pointer attributes);

  int posix_spawnattr_setflags(Pointer attributes, short flags);

  int posix_spawnattr_setsigmask(Pointer attributes, Pointer mask);

  int posix_spawnattr_setsigdefault(Pointer attributes, Pointer signals);

  /**
   * syscall(2), for pidfd_open and pidfd_send_signal, which glibc 2.36 wraps but jnr cannot see.
   */
  long syscall(long number, long a1, long a2, long a3, long a4);

  int waitid(int idType, int id, Pointer info, int options);

  int epoll_create1(int flags);

  int epoll_ctl(int epfd, int op, int fd, Pointer event);

  int epoll_wait(int epfd, Pointer events, int maxEvents, int timeoutMillis);
}
