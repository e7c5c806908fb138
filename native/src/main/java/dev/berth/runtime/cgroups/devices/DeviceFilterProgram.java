package dev.berth.runtime.cgroups.devices;

import dev.berth.model.runtime.DeviceRule;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The eBPF program (BPF_PROG_TYPE_CGROUP_DEVICE) that does on cgroup v2 what the v1 devices
 * controller does with devices.allow and devices.deny, as runc generates it: the last rule that
 * matches a device's type, access and numbers decides; a rule for all devices ("a", no numbers,
 * "rwm") sets what the unmatched get and overrides every rule before it.
 */
public final class DeviceFilterProgram {
  // struct bpf_cgroup_dev_ctx: access_type (access << 16 | type), major, minor, all u32
  private static final int TYPE_BLOCK = 1;
  private static final int TYPE_CHAR = 2;
  private static final int ACC_MKNOD = 1;
  private static final int ACC_READ = 2;
  private static final int ACC_WRITE = 4;

  private static final int LDX_W = 0x61;
  private static final int ALU32_AND_K = 0x54;
  private static final int ALU32_RSH_K = 0x74;
  private static final int MOV64_X = 0xbf;
  private static final int MOV64_K = 0xb7;
  private static final int JNE_K = 0x55;
  private static final int EXIT = 0x95;

  /** Rules one program takes (each is at most 7 instructions; the kernel takes 4096 here). */
  public static final int MAX_RULES = 512;

  private DeviceFilterProgram() {}

  /** The program's instructions, 8 bytes each, for {@code rules} in the spec's order. */
  public static byte[] compile(List<DeviceRule> rules) {
    if (rules.size() > MAX_RULES) {
      throw new IllegalArgumentException(
          "linux.resources.devices: " + rules.size() + " rules, at most " + MAX_RULES);
    }
    int start = 0;
    boolean fallback = true; // no rule at all: the v1 default of a new cgroup, everything
    for (int i = 0; i < rules.size(); i++) {
      if (coversAll(rules.get(i))) {
        start = i + 1;
        fallback = Boolean.TRUE.equals(rules.get(i).allow());
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    insn(out, LDX_W, 2, 1, 0, 0);
    insn(out, ALU32_AND_K, 2, 0, 0, 0xffff);
    insn(out, LDX_W, 3, 1, 0, 0);
    insn(out, ALU32_RSH_K, 3, 0, 0, 16);
    insn(out, LDX_W, 4, 1, 4, 0);
    insn(out, LDX_W, 5, 1, 8, 0);
    // the last matching rule decides: tried from the last one back, the first match returns
    for (int i = rules.size() - 1; i >= start; i--) {
      block(out, rules.get(i));
    }
    insn(out, MOV64_K, 0, 0, 0, fallback ? 1 : 0);
    insn(out, EXIT, 0, 0, 0, 0);
    return out.toByteArray();
  }

  private static boolean coversAll(DeviceRule r) {
    return type(r) == 0 && wildcard(r.major()) && wildcard(r.minor()) && access(r) == 7;
  }

  private static boolean wildcard(Long n) {
    return n == null || n < 0;
  }

  private static int type(DeviceRule r) {
    String t = r.type() == null ? "a" : r.type();
    return switch (t) {
      case "a" -> 0;
      case "b" -> TYPE_BLOCK;
      case "c", "u" -> TYPE_CHAR;
      default ->
          throw new IllegalArgumentException("linux.resources.devices: unknown type \"" + t + "\"");
    };
  }

  private static int access(DeviceRule r) {
    String a = r.access() == null || r.access().isEmpty() ? "rwm" : r.access();
    int bits = 0;
    for (char c : a.toCharArray()) {
      bits |=
          switch (c) {
            case 'r' -> ACC_READ;
            case 'w' -> ACC_WRITE;
            case 'm' -> ACC_MKNOD;
            default ->
                throw new IllegalArgumentException(
                    "linux.resources.devices: unknown access \"" + a + "\"");
          };
    }
    return bits;
  }

  /** One rule: each test that fails jumps past the rest of the block to the next rule. */
  private static void block(ByteArrayOutputStream out, DeviceRule r) {
    record Test(int op, int dst, int imm, boolean copyAccess) {}
    List<Test> tests = new ArrayList<>();
    int type = type(r);
    int access = access(r);
    if (type != 0) {
      tests.add(new Test(JNE_K, 2, type, false));
    }
    if (access != 7) {
      tests.add(new Test(JNE_K, 6, 0, true)); // asked for access the rule does not name
    }
    if (!wildcard(r.major())) {
      tests.add(new Test(JNE_K, 4, (int) (long) r.major(), false));
    }
    if (!wildcard(r.minor())) {
      tests.add(new Test(JNE_K, 5, (int) (long) r.minor(), false));
    }
    int length = 2; // the verdict and its exit
    for (Test t : tests) {
      length += t.copyAccess() ? 3 : 1;
    }
    int at = 0;
    for (Test t : tests) {
      if (t.copyAccess()) {
        insn(out, MOV64_X, 6, 3, 0, 0);
        insn(out, ALU32_AND_K, 6, 0, 0, ~access & 7);
        at += 2;
      }
      at++;
      insn(out, t.op(), t.dst(), 0, length - at, t.imm());
    }
    insn(out, MOV64_K, 0, 0, 0, Boolean.TRUE.equals(r.allow()) ? 1 : 0);
    insn(out, EXIT, 0, 0, 0, 0);
  }

  private static void insn(ByteArrayOutputStream out, int op, int dst, int src, int off, int imm) {
    out.write(op);
    out.write((src << 4) | dst);
    out.write(off & 0xff);
    out.write((off >> 8) & 0xff);
    out.write(imm & 0xff);
    out.write((imm >> 8) & 0xff);
    out.write((imm >> 16) & 0xff);
    out.write((imm >> 24) & 0xff);
  }
}
