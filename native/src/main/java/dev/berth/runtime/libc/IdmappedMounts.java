package dev.berth.runtime.libc;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * Idmapped mounts (Linux 5.12+): a detached copy of a directory's mount whose file owners are seen
 * through a user namespace's id mapping, so that one image layer on disk appears owned by each
 * container's own range of host ids without a chown.
 */
public final class IdmappedMounts {
  private static final int OPEN_TREE_CLONE = 1;
  private static final int AT_EMPTY_PATH = 0x1000;
  private static final long MOUNT_ATTR_IDMAP = 0x00100000L;

  /** struct mount_attr: attr_set, attr_clr, propagation, userns_fd (four u64). */
  private static final int MOUNT_ATTR_SIZE = 32;

  private IdmappedMounts() {}

  /**
   * A detached mount of {@code directory} seen through the id mapping of the user namespace open as
   * {@code usernsFd}; the caller closes the returned descriptor (the mount goes with its last
   * user).
   */
  public static int open(String directory, int usernsFd) {
    int fd =
        Native.libc().open_tree(Native.AT_FDCWD, directory, OPEN_TREE_CLONE | Native.O_CLOEXEC);
    if (fd < 0) {
      throw new NativeException("open_tree", directory, Native.errno());
    }
    Pointer attr = Memory.allocateDirect(Runtime.getRuntime(Native.libc()), MOUNT_ATTR_SIZE);
    attr.putLong(0, MOUNT_ATTR_IDMAP);
    attr.putLong(8, 0);
    attr.putLong(16, 0);
    attr.putLong(24, usernsFd);
    if (Native.libc().mount_setattr(fd, "", AT_EMPTY_PATH, attr, MOUNT_ATTR_SIZE) != 0) {
      int e = Native.errno();
      Native.close(fd);
      throw new NativeException("mount_setattr MOUNT_ATTR_IDMAP", directory, e);
    }
    return fd;
  }
}
