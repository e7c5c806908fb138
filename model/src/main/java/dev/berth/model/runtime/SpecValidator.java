package dev.berth.model.runtime;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a config.json against the runtime-spec's MUSTs for Linux and lists every violation by JSON
 * path.
 */
public final class SpecValidator {
  static final Set<String> NAMESPACE_TYPES =
      Set.of("pid", "network", "mount", "ipc", "uts", "user", "cgroup", "time");
  static final Set<String> PROPAGATIONS =
      Set.of(
          "shared",
          "slave",
          "private",
          "unbindable",
          "rshared",
          "rslave",
          "rprivate",
          "runbindable");
  private static final Pattern SYSCTL_NAME = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
  private static final Set<String> IPC_SYSCTLS =
      Set.of(
          "kernel.msgmax",
          "kernel.msgmnb",
          "kernel.msgmni",
          "kernel.sem",
          "kernel.shmall",
          "kernel.shmmax",
          "kernel.shmmni",
          "kernel.shm_rmid_forced");
  private static final Pattern SEMVER =
      Pattern.compile("\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?");
  private static final Pattern CAPABILITY = Pattern.compile("CAP_[A-Z_]+");
  private static final Pattern RLIMIT = Pattern.compile("RLIMIT_[A-Z]+");
  private static final Set<String> DEVICE_TYPES = Set.of("c", "b", "u", "p");
  static final Set<String> SECCOMP_ACTIONS =
      Set.of(
          "SCMP_ACT_KILL",
          "SCMP_ACT_KILL_PROCESS",
          "SCMP_ACT_KILL_THREAD",
          "SCMP_ACT_TRAP",
          "SCMP_ACT_ERRNO",
          "SCMP_ACT_TRACE",
          "SCMP_ACT_ALLOW",
          "SCMP_ACT_LOG",
          "SCMP_ACT_NOTIFY");
  static final Set<String> SECCOMP_OPS =
      Set.of(
          "SCMP_CMP_NE",
          "SCMP_CMP_LT",
          "SCMP_CMP_LE",
          "SCMP_CMP_EQ",
          "SCMP_CMP_GE",
          "SCMP_CMP_GT",
          "SCMP_CMP_MASKED_EQ");
  static final Set<String> SECCOMP_ARCHES =
      Set.of(
          "SCMP_ARCH_X86",
          "SCMP_ARCH_X86_64",
          "SCMP_ARCH_X32",
          "SCMP_ARCH_ARM",
          "SCMP_ARCH_AARCH64",
          "SCMP_ARCH_MIPS",
          "SCMP_ARCH_MIPS64",
          "SCMP_ARCH_MIPS64N32",
          "SCMP_ARCH_MIPSEL",
          "SCMP_ARCH_MIPSEL64",
          "SCMP_ARCH_MIPSEL64N32",
          "SCMP_ARCH_PPC",
          "SCMP_ARCH_PPC64",
          "SCMP_ARCH_PPC64LE",
          "SCMP_ARCH_S390",
          "SCMP_ARCH_S390X",
          "SCMP_ARCH_PARISC",
          "SCMP_ARCH_PARISC64",
          "SCMP_ARCH_RISCV64");
  static final Set<String> SECCOMP_FLAGS =
      Set.of(
          "SECCOMP_FILTER_FLAG_TSYNC",
          "SECCOMP_FILTER_FLAG_LOG",
          "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
          "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV");
  private static final java.math.BigInteger U64_MAX =
      java.math.BigInteger.ONE.shiftLeft(64).subtract(java.math.BigInteger.ONE);

  private final List<ValidationError> errors = new ArrayList<>();

  private SpecValidator() {}

  /** Returns every violation found; an empty list means the spec is usable. */
  public static List<ValidationError> validate(Spec spec) {
    SpecValidator v = new SpecValidator();
    v.check(spec);
    return List.copyOf(v.errors);
  }

  /** Throws with all violations, one per line, when the spec is not usable. */
  public static void requireValid(Spec spec) throws InvalidSpecException {
    List<ValidationError> found = validate(spec);
    if (!found.isEmpty()) {
      StringBuilder sb = new StringBuilder("invalid config.json:");
      found.forEach(e -> sb.append("\n  ").append(e));
      throw new InvalidSpecException(sb.toString());
    }
  }

  private void error(String path, String message) {
    errors.add(new ValidationError(path, message));
  }

  private void check(Spec spec) {
    if (spec.ociVersion() == null) {
      error("ociVersion", "is required");
    } else if (!SEMVER.matcher(spec.ociVersion()).matches()) {
      error("ociVersion", "\"" + spec.ociVersion() + "\" is not a SemVer 2.0.0 version");
    }
    if (spec.root() == null) {
      error("root", "is required on Linux");
    } else if (spec.root().path() == null || spec.root().path().isEmpty()) {
      error("root.path", "is required");
    }
    if (spec.process() != null) {
      checkProcess(spec.process());
    }
    checkList(
        spec.mounts(),
        "mounts",
        (m, p) -> {
          if (m.destination() == null) {
            error(p + ".destination", "is required");
          } else {
            requireAbsolute(p + ".destination", m.destination());
          }
        });
    if (spec.hooks() != null) {
      checkHooks(spec.hooks());
    }
    Linux linux = spec.linux();
    Set<String> newNamespaces = new HashSet<>();
    Set<String> listed = new HashSet<>();
    if (linux != null) {
      checkLinux(linux, newNamespaces, listed);
    }
    // As runc and crun: a uts namespace of its own, new or joined by path (the name is then set
    // in the joined one); never the host's.
    if (spec.hostname() != null && !spec.hostname().isEmpty() && !listed.contains("uts")) {
      error("hostname", "requires a uts namespace in linux.namespaces (new or joined by path)");
    }
    if (spec.domainname() != null && !spec.domainname().isEmpty() && !listed.contains("uts")) {
      error("domainname", "requires a uts namespace in linux.namespaces (new or joined by path)");
    }
  }

  private void checkProcess(ContainerProcess process) {
    if (process.args() == null || process.args().isEmpty()) {
      error("process.args", "must contain at least one entry");
    }
    if (process.cwd() == null) {
      error("process.cwd", "is required");
    } else {
      requireAbsolute("process.cwd", process.cwd());
    }
    checkList(
        process.env(),
        "process.env",
        (e, p) -> {
          if (e == null || !e.contains("=")) {
            error(p, "\"" + e + "\" is not of the form KEY=value");
          }
        });
    if (process.capabilities() != null) {
      Capabilities c = process.capabilities();
      checkCapabilities(c.bounding(), "process.capabilities.bounding");
      checkCapabilities(c.effective(), "process.capabilities.effective");
      checkCapabilities(c.inheritable(), "process.capabilities.inheritable");
      checkCapabilities(c.permitted(), "process.capabilities.permitted");
      checkCapabilities(c.ambient(), "process.capabilities.ambient");
    }
    Set<String> rlimitTypes = new HashSet<>();
    checkList(
        process.rlimits(),
        "process.rlimits",
        (r, p) -> {
          if (r.type() == null || !RLIMIT.matcher(r.type()).matches()) {
            error(p + ".type", "\"" + r.type() + "\" is not an RLIMIT_* name");
          } else if (!rlimitTypes.add(r.type())) {
            error(p + ".type", "duplicate rlimit type \"" + r.type() + "\"");
          }
          if (r.soft() == null || r.hard() == null) {
            error(p, "soft and hard are required");
          } else if (Long.compareUnsigned(r.soft(), r.hard()) > 0) {
            error(p + ".soft", "is greater than hard");
          }
        });
    if (process.user() != null) {
      if (process.user().uid() == null) {
        error("process.user.uid", "is required");
      }
      if (process.user().gid() == null) {
        error("process.user.gid", "is required");
      }
    }
    if (process.oomScoreAdj() != null
        && (process.oomScoreAdj() < -1000 || process.oomScoreAdj() > 1000)) {
      error("process.oomScoreAdj", "must be between -1000 and 1000");
    }
  }

  private void checkCapabilities(List<String> caps, String path) {
    checkList(
        caps,
        path,
        (c, p) -> {
          if (c == null || !CAPABILITY.matcher(c).matches()) {
            error(p, "\"" + c + "\" is not a capability name (CAP_*)");
          }
        });
  }

  private void checkHooks(Hooks hooks) {
    checkHookList(hooks.prestart(), "hooks.prestart");
    checkHookList(hooks.createRuntime(), "hooks.createRuntime");
    checkHookList(hooks.createContainer(), "hooks.createContainer");
    checkHookList(hooks.startContainer(), "hooks.startContainer");
    checkHookList(hooks.poststart(), "hooks.poststart");
    checkHookList(hooks.poststop(), "hooks.poststop");
  }

  private void checkHookList(List<Hook> list, String path) {
    checkList(
        list,
        path,
        (h, p) -> {
          if (h.path() == null) {
            error(p + ".path", "is required");
          } else {
            requireAbsolute(p + ".path", h.path());
          }
          if (h.timeout() != null && h.timeout() <= 0) {
            error(p + ".timeout", "must be greater than zero");
          }
        });
  }

  private void checkLinux(Linux linux, Set<String> newNamespaces, Set<String> seen) {
    checkList(
        linux.namespaces(),
        "linux.namespaces",
        (ns, p) -> {
          if (ns.type() == null || !NAMESPACE_TYPES.contains(ns.type())) {
            error(p + ".type", "unknown namespace type \"" + ns.type() + "\"");
            return;
          }
          if (!seen.add(ns.type())) {
            error(p + ".type", "duplicate namespace type \"" + ns.type() + "\"");
          }
          if (ns.path() != null && !ns.path().isEmpty()) {
            requireAbsolute(p + ".path", ns.path());
          } else {
            newNamespaces.add(ns.type());
          }
        });
    if (newNamespaces.contains("user")) {
      if (linux.uidMappings() == null || linux.uidMappings().isEmpty()) {
        error("linux.uidMappings", "is required when a new user namespace is asked for");
      }
      if (linux.gidMappings() == null || linux.gidMappings().isEmpty()) {
        error("linux.gidMappings", "is required when a new user namespace is asked for");
      }
    } else if (!seen.contains("user")) {
      if (linux.uidMappings() != null && !linux.uidMappings().isEmpty()) {
        error("linux.uidMappings", "needs a user namespace in linux.namespaces");
      }
    }
    checkMappings(linux.uidMappings(), "linux.uidMappings");
    checkMappings(linux.gidMappings(), "linux.gidMappings");
    checkList(
        linux.devices(),
        "linux.devices",
        (d, p) -> {
          if (d.path() == null) {
            error(p + ".path", "is required");
          } else {
            requireAbsolute(p + ".path", d.path());
          }
          if (d.type() == null || !DEVICE_TYPES.contains(d.type())) {
            error(p + ".type", "\"" + d.type() + "\" is not one of c, b, u, p");
          } else if (!"p".equals(d.type()) && (d.major() == null || d.minor() == null)) {
            error(p, "major and minor are required for type " + d.type());
          }
        });
    if (linux.rootfsPropagation() != null
        && !linux.rootfsPropagation().isEmpty()
        && !PROPAGATIONS.contains(linux.rootfsPropagation())) {
      error("linux.rootfsPropagation", "unknown propagation \"" + linux.rootfsPropagation() + "\"");
    }
    checkList(linux.maskedPaths(), "linux.maskedPaths", (m, p) -> requireAbsolute(p, m));
    checkList(linux.readonlyPaths(), "linux.readonlyPaths", (m, p) -> requireAbsolute(p, m));
    if (linux.sysctl() != null) {
      for (Map.Entry<String, String> e : linux.sysctl().entrySet()) {
        checkSysctl(e.getKey(), newNamespaces, seen);
      }
    }
    if (linux.resources() != null) {
      checkResources(linux.resources());
    }
    if (linux.seccomp() != null) {
      checkSeccomp(linux.seccomp());
    }
  }

  private void checkSeccomp(Seccomp s) {
    String at = "linux.seccomp";
    checkSeccompAction(s.defaultAction(), s.defaultErrnoRet(), at + ".defaultAction");
    checkList(
        s.architectures(),
        at + ".architectures",
        (a, p) -> {
          if (!SECCOMP_ARCHES.contains(a)) {
            error(p, "unknown architecture \"" + a + "\"");
          }
        });
    checkList(
        s.flags(),
        at + ".flags",
        (f, p) -> {
          if (!SECCOMP_FLAGS.contains(f)) {
            error(p, "unknown flag \"" + f + "\"");
          }
        });
    checkList(
        s.syscalls(),
        at + ".syscalls",
        (rule, p) -> {
          if (rule.names() == null || rule.names().isEmpty()) {
            error(p + ".names", "is required and must not be empty");
          } else {
            // A profile names hundreds of calls: the path is built only for a bad one.
            List<String> names = rule.names();
            for (int j = 0; j < names.size(); j++) {
              if (!isSyscallName(names.get(j))) {
                error(
                    p + ".names[" + j + "]",
                    names.get(j) == null
                        ? "must not be null"
                        : "\"" + names.get(j) + "\" is not a syscall name");
              }
            }
          }
          checkSeccompAction(rule.action(), rule.errnoRet(), p + ".action");
          if (rule.args() != null && rule.args().size() > 6) {
            error(
                p + ".args",
                "a syscall has 6 arguments; " + rule.args().size() + " conditions given");
          }
          checkList(
              rule.args(),
              p + ".args",
              (a, q) -> {
                if (a.index() == null || a.index() < 0 || a.index() > 5) {
                  error(q + ".index", "must be 0 to 5 (got " + a.index() + ")");
                }
                if (a.op() == null || !SECCOMP_OPS.contains(a.op())) {
                  error(q + ".op", "unknown comparison \"" + a.op() + "\"");
                }
                checkU64(a.value(), q + ".value");
                checkU64(a.valueTwo(), q + ".valueTwo");
              });
        });
    if (s.listenerPath() != null && !s.listenerPath().isEmpty()) {
      requireAbsolute(at + ".listenerPath", s.listenerPath());
    }
  }

  /** [a-z0-9_]{1,64}: what a syscall's name can be (and what berth-init passes to libseccomp). */
  private static boolean isSyscallName(String n) {
    if (n == null || n.isEmpty() || n.length() > 64) {
      return false;
    }
    for (int i = 0; i < n.length(); i++) {
      char c = n.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_')) {
        return false;
      }
    }
    return true;
  }

  private void checkSeccompAction(String action, Integer errnoRet, String path) {
    if (action == null) {
      error(path, "is required");
    } else if (!SECCOMP_ACTIONS.contains(action)) {
      error(path, "unknown action \"" + action + "\"");
    } else if (errnoRet != null
        && !action.equals("SCMP_ACT_ERRNO")
        && !action.equals("SCMP_ACT_TRACE")) {
      error(path, "an errno return goes only with SCMP_ACT_ERRNO or SCMP_ACT_TRACE");
    }
    if (errnoRet != null && (errnoRet < 0 || errnoRet > 0xffff)) {
      error(path, "errno return " + errnoRet + " is not 0 to 65535");
    }
  }

  private void checkU64(java.math.BigInteger v, String path) {
    if (v != null && (v.signum() < 0 || v.compareTo(U64_MAX) > 0)) {
      error(path, v + " is not an unsigned 64-bit value");
    }
  }

  /**
   * As runc: a sysctl is written only where a namespace of the container's own keeps it from the
   * host (net.* with a network namespace, IPC keys with a new IPC namespace, the UTS names with a
   * new UTS one).
   */
  private void checkSysctl(String key, Set<String> newNamespaces, Set<String> anyNamespaces) {
    String p = "linux.sysctl[\"" + key + "\"]";
    if (!SYSCTL_NAME.matcher(key).matches()) {
      error(p, "\"" + key + "\" is not a sysctl name (names separated by dots)");
    } else if (IPC_SYSCTLS.contains(key) || key.startsWith("fs.mqueue.")) {
      if (!newNamespaces.contains("ipc")) {
        error(p, "is not allowed in the host's IPC namespace: add a new ipc namespace");
      }
    } else if (key.startsWith("net.")) {
      if (!anyNamespaces.contains("network")) {
        error(p, "is not allowed in the host's network namespace: add a network namespace");
      }
    } else if (key.equals("kernel.hostname") || key.equals("kernel.domainname")) {
      if (!newNamespaces.contains("uts")) {
        error(p, "is not allowed in the host's UTS namespace: add a new uts namespace");
      }
    } else {
      error(p, "is not in a separate kernel namespace: setting it would change the host");
    }
  }

  private void checkMappings(List<IdMapping> mappings, String path) {
    checkList(
        mappings,
        path,
        (m, p) -> {
          if (m.containerID() == null || m.hostID() == null || m.size() == null) {
            error(p, "containerID, hostID and size are required");
          } else if (m.size() <= 0) {
            error(p + ".size", "must be greater than zero");
          }
        });
  }

  private void checkResources(Resources r) {
    Memory mem = r.memory();
    if (mem != null) {
      positiveOrUnlimited(mem.limit(), "linux.resources.memory.limit");
      positiveOrUnlimited(mem.reservation(), "linux.resources.memory.reservation");
      positiveOrUnlimited(mem.swap(), "linux.resources.memory.swap");
      if (mem.limit() != null
          && mem.swap() != null
          && mem.swap() > 0
          && mem.limit() > 0
          && mem.swap() < mem.limit()) {
        error(
            "linux.resources.memory.swap", "memory+swap limit must not be below the memory limit");
      }
    }
    Cpu cpu = r.cpu();
    if (cpu != null) {
      if (cpu.shares() != null && cpu.shares() < 2) {
        error("linux.resources.cpu.shares", "must be at least 2");
      }
      if (cpu.period() != null
          && cpu.period() != 0
          && (cpu.period() < 1000 || cpu.period() > 1_000_000)) {
        error("linux.resources.cpu.period", "must be between 1000 and 1000000 microseconds");
      }
      if (cpu.quota() != null && cpu.quota() != -1 && cpu.quota() != 0 && cpu.quota() < 1000) {
        error("linux.resources.cpu.quota", "must be -1 or at least 1000 microseconds");
      }
    }
    if (r.pids() != null && r.pids().limit() != null && r.pids().limit() < -1) {
      error("linux.resources.pids.limit", "must be -1 (unlimited) or positive");
    }
    checkList(
        r.devices(),
        "linux.resources.devices",
        (d, p) -> {
          if (d.allow() == null) {
            error(p + ".allow", "is required");
          }
          if (d.type() != null && !Set.of("a", "c", "b").contains(d.type())) {
            error(p + ".type", "\"" + d.type() + "\" is not one of a, c, b");
          }
          if (d.access() != null && !d.access().matches("[rwm]*")) {
            error(p + ".access", "\"" + d.access() + "\" may only contain r, w and m");
          }
        });
  }

  private void positiveOrUnlimited(Long value, String path) {
    if (value != null && value != -1 && value <= 0) {
      error(path, "must be -1 (unlimited) or positive");
    }
  }

  private void requireAbsolute(String path, String value) {
    if (value == null || !value.startsWith("/")) {
      error(path, "\"" + value + "\" must be an absolute path");
    }
  }

  private interface Check<T> {
    void apply(T item, String path);
  }

  private <T> void checkList(List<T> list, String path, Check<T> check) {
    if (list == null) {
      return;
    }
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) == null) {
        error(path + "[" + i + "]", "must not be null");
      } else {
        check.apply(list.get(i), path + "[" + i + "]");
      }
    }
  }
}
