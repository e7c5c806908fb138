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
}
