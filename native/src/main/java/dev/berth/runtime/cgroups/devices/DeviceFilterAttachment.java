package dev.berth.runtime.cgroups.devices;

import dev.berth.runtime.ContainerException;
import dev.berth.runtime.libc.Native;
import dev.berth.runtime.libc.NativeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import jnr.ffi.Memory;
import jnr.ffi.Platform;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * Loads a device filter program (bpf(2) BPF_PROG_LOAD) and attaches it to a cgroup v2 directory
 * (BPF_PROG_ATTACH, BPF_CGROUP_DEVICE) without BPF_F_ALLOW_MULTI or override: nothing below the
 * container's cgroup can attach a filter of its own to widen it. The program lives as long as the
 * cgroup.
 */
public final class DeviceFilterAttachment {
  private static final int BPF_PROG_LOAD = 5;
  private static final int BPF_PROG_ATTACH = 8;
  private static final int BPF_PROG_TYPE_CGROUP_DEVICE = 15;
  private static final int BPF_CGROUP_DEVICE = 6;
  private static final int ATTR_SIZE = 128;
  private static final int LOG_SIZE = 65536;
  private static final int O_RDONLY = 0;

  private DeviceFilterAttachment() {}

  /** Attaches {@code program} (from {@link DeviceFilterProgram}) to the cgroup at {@code dir}. */
  public static void attach(Path dir, byte[] program) throws ContainerException {
    Runtime rt = Runtime.getRuntime(Native.libc());
    Pointer insns = Memory.allocateDirect(rt, program.length, true);
    insns.put(0, program, 0, program.length);
    byte[] license = "Apache-2.0\0".getBytes(StandardCharsets.US_ASCII);
    Pointer lic = Memory.allocateDirect(rt, license.length, true);
    lic.put(0, license, 0, license.length);
    Pointer log = Memory.allocateDirect(rt, LOG_SIZE, true);
    Pointer load = Memory.allocateDirect(rt, ATTR_SIZE, true);
    load.putInt(0, BPF_PROG_TYPE_CGROUP_DEVICE);
    load.putInt(4, program.length / 8);
    load.putLong(8, insns.address());
    load.putLong(16, lic.address());
    load.putInt(24, 1); // log_level: the verifier says why it refuses
    load.putInt(28, LOG_SIZE);
    load.putLong(32, log.address());
    int prog = (int) bpf(BPF_PROG_LOAD, load);
    if (prog < 0) {
      int e = Native.errno();
      throw new ContainerException(
          "cannot load the device filter for cgroup "
              + dir
              + ": bpf BPF_PROG_LOAD: "
              + NativeException.errnoName(e)
              + " "
              + log.getString(0).trim());
    }
    try {
      int cgroup =
          Native.libc().open(dir.toString(), O_RDONLY | Native.O_DIRECTORY | Native.O_CLOEXEC, 0);
      if (cgroup < 0) {
        throw new ContainerException(
            "cannot open cgroup " + dir + ": " + NativeException.errnoName(Native.errno()));
      }
      try {
        Pointer attach = Memory.allocateDirect(rt, ATTR_SIZE, true);
        attach.putInt(0, cgroup);
        attach.putInt(4, prog);
        attach.putInt(8, BPF_CGROUP_DEVICE);
        if (bpf(BPF_PROG_ATTACH, attach) < 0) {
          throw new ContainerException(
              "cannot attach the device filter to cgroup "
                  + dir
                  + ": bpf BPF_PROG_ATTACH: "
                  + NativeException.errnoName(Native.errno()));
        }
      } finally {
        Native.close(cgroup);
      }
    } finally {
      Native.close(prog);
    }
  }

  private static long bpf(int cmd, Pointer attr) {
    return Native.libc().syscall(bpfSyscall(), cmd, attr.address(), ATTR_SIZE, 0);
  }

  private static long bpfSyscall() {
    return switch (Platform.getNativePlatform().getCPU()) {
      case X86_64 -> 321;
      case AARCH64 -> 280;
      default ->
          throw new UnsupportedOperationException(
              "bpf(2) number unknown on " + Platform.getNativePlatform().getCPU());
    };
  }
}
