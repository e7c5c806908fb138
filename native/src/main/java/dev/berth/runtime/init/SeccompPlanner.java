package dev.berth.runtime.init;

import dev.berth.model.runtime.Seccomp;
import dev.berth.model.runtime.SeccompArg;
import dev.berth.model.runtime.SeccompSyscall;
import dev.berth.runtime.ContainerException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns linux.seccomp into berth-init's SECCOMP records: actions as the kernel's SECCOMP_RET_*
 * values (what libseccomp's SCMP_ACT_* macros make), comparisons as libseccomp's SCMP_CMP_*,
 * architectures by libseccomp's names. berth-init builds the filter with libseccomp and loads it.
 */
public final class SeccompPlanner {
  /** The errno of SCMP_ACT_ERRNO and SCMP_ACT_TRACE when no errnoRet is given (as runc). */
  private static final int EPERM = 1;

  private static final Map<String, Long> OPS =
      Map.of(
          "SCMP_CMP_NE", 1L,
          "SCMP_CMP_LT", 2L,
          "SCMP_CMP_LE", 3L,
          "SCMP_CMP_EQ", 4L,
          "SCMP_CMP_GE", 5L,
          "SCMP_CMP_GT", 6L,
          "SCMP_CMP_MASKED_EQ", 7L);

  private static final Map<String, Long> FLAGS =
      Map.of(
          "SECCOMP_FILTER_FLAG_TSYNC", PlanRecord.SECCOMP_TSYNC,
          "SECCOMP_FILTER_FLAG_LOG", PlanRecord.SECCOMP_LOG,
          "SECCOMP_FILTER_FLAG_SPEC_ALLOW", PlanRecord.SECCOMP_SPEC_ALLOW);

  private SeccompPlanner() {}

  /**
   * Adds the filter of {@code seccomp} to {@code plan} (nothing when it is null), compiled once per
   * profile into {@code cache} (null: compiled for every process).
   */
  public static void plan(InitPlan plan, Seccomp seccomp, SeccompCache cache)
      throws ContainerException {
    if (seccomp == null) {
      return;
    }
    long flags = 0;
    for (String f : seccomp.flags() == null ? List.<String>of() : seccomp.flags()) {
      Long bit = FLAGS.get(f);
      if (bit == null) {
        throw new ContainerException(
            "linux.seccomp.flags: " + f + " is not supported by Berth (it has no listener)");
      }
      flags |= bit;
    }
    long defaultAction =
        action(seccomp.defaultAction(), seccomp.defaultErrnoRet(), "defaultAction");
    SeccompCache.Entry entry = cache == null ? null : cache.entryFor(seccomp);
    Path file = entry == null ? null : entry.file();
    if (entry != null && entry.compiled()) {
      // Compiled from this very profile before (it was planned, so checked, then): berth-init
      // loads that and needs none of the rules. A file gone meanwhile fails the create, clearly.
      for (SeccompSyscall rule :
          seccomp.syscalls() == null ? List.<SeccompSyscall>of() : seccomp.syscalls()) {
        action(rule.action(), rule.errnoRet(), "syscalls");
      }
      plan.seccomp(defaultAction, flags | PlanRecord.SECCOMP_CACHED);
      plan.seccompCache(file);
      return;
    }
    plan.seccomp(defaultAction, flags);
    for (String arch :
        seccomp.architectures() == null ? List.<String>of() : seccomp.architectures()) {
      plan.seccompArch(arch.substring("SCMP_ARCH_".length()).toLowerCase(Locale.ROOT));
    }
    List<SeccompSyscall> rules = seccomp.syscalls() == null ? List.of() : seccomp.syscalls();
    long args = 0;
    for (int i = 0; i < rules.size(); i++) {
      SeccompSyscall rule = rules.get(i);
      String where = "syscalls[" + i + "].action";
      long action = action(rule.action(), rule.errnoRet(), where);
      List<SeccompArg> conditions = rule.args() == null ? List.of() : rule.args();
      long first = args;
      for (SeccompArg a : conditions) {
        plan.seccompArg(
            a.index(),
            OPS.get(a.op()),
            a.value() == null ? 0 : a.value().longValue(), // the low 64 bits: an unsigned u64
            a.valueTwo() == null ? 0 : a.valueTwo().longValue());
        args++;
      }
      for (String name : rule.names()) {
        plan.seccompRule(name, action, first, conditions.size());
      }
    }
    if (file != null) {
      plan.seccompCache(file);
    }
  }

  /** The SECCOMP_RET_* value of a validated action name. */
  static long action(String name, Integer errnoRet, String where) throws ContainerException {
    int ret = errnoRet == null ? EPERM : errnoRet;
    return switch (name) {
      case "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD" -> 0x00000000L;
      case "SCMP_ACT_KILL_PROCESS" -> 0x80000000L;
      case "SCMP_ACT_TRAP" -> 0x00030000L;
      case "SCMP_ACT_ERRNO" -> 0x00050000L | (ret & 0xffffL);
      case "SCMP_ACT_TRACE" -> 0x7ff00000L | (ret & 0xffffL);
      case "SCMP_ACT_LOG" -> 0x7ffc0000L;
      case "SCMP_ACT_ALLOW" -> 0x7fff0000L;
      case "SCMP_ACT_NOTIFY" ->
          throw new ContainerException(
              "linux.seccomp."
                  + where
                  + ": SCMP_ACT_NOTIFY is not supported by Berth (no seccomp listener)");
      default -> throw new ContainerException("linux.seccomp." + where + ": unknown " + name);
    };
  }
}
