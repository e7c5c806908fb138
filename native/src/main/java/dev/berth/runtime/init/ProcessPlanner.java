package dev.berth.runtime.init;

import dev.berth.model.runtime.Capabilities;
import dev.berth.model.runtime.Process;
import dev.berth.model.runtime.Rlimit;
import dev.berth.runtime.ContainerException;
import dev.berth.runtime.process.CapabilityNames;
import dev.berth.runtime.process.RlimitNames;

/** Adds what the process section asks for (identity, privileges, limits, program) to an init plan. */
public final class ProcessPlanner {
  private ProcessPlanner() {}

  public static void plan(InitPlan plan, Process process) throws ContainerException {
    if (process.rlimits() != null) {
      for (Rlimit r : process.rlimits()) {
        int n = RlimitNames.number(r.type());
        if (n < 0) {
          throw new ContainerException("process.rlimits: unknown rlimit type \"" + r.type() + "\"");
        }
        plan.add("rlimit", n, Long.toUnsignedString(r.soft()), Long.toUnsignedString(r.hard()));
      }
    }
    if (process.user() != null) {
      plan.add("user", process.user().uid(), process.user().gid());
      if (process.user().additionalGids() != null) {
        for (Long g : process.user().additionalGids()) {
          plan.add("group", g);
        }
      }
      if (process.user().umask() != null) {
        plan.add("umask", process.user().umask());
      }
    }
    Capabilities caps = process.capabilities();
    if (caps != null) {
      plan.add("caps", Long.toUnsignedString(CapabilityNames.mask(caps.bounding())),
          Long.toUnsignedString(CapabilityNames.mask(caps.effective())),
          Long.toUnsignedString(CapabilityNames.mask(caps.inheritable())),
          Long.toUnsignedString(CapabilityNames.mask(caps.permitted())),
          Long.toUnsignedString(CapabilityNames.mask(caps.ambient())));
    }
    if (Boolean.TRUE.equals(process.noNewPrivileges())) {
      plan.add("nonewprivs");
    }
    plan.add("cwd", process.cwd() == null ? "/" : process.cwd());
    if (process.consoleSize() != null) {
      plan.add("consolesize", nz(process.consoleSize().height()), nz(process.consoleSize().width()));
    }
    if (process.env() != null) {
      for (String e : process.env()) {
        plan.add("env", e);
      }
    }
    for (String a : process.args()) {
      plan.add("arg", a);
    }
  }

  private static int nz(Integer i) {
    return i == null ? 0 : i;
  }
}
