package dev.berth.runtime.init;

import dev.berth.model.runtime.Capabilities;
import dev.berth.model.runtime.ContainerProcess;
import dev.berth.model.runtime.Rlimit;
import dev.berth.runtime.ContainerException;
import dev.berth.runtime.process.CapabilityNames;
import dev.berth.runtime.process.RlimitNames;

/**
 * Adds what the process section asks for (identity, privileges, limits, program) to an init plan.
 */
public final class ProcessPlanner {
  private ProcessPlanner() {}

  public static void plan(InitPlan plan, ContainerProcess process) throws ContainerException {
    if (process.args() == null || process.args().isEmpty()) {
      throw new ContainerException("process.args must contain at least one entry");
    }
    if (process.rlimits() != null) {
      for (Rlimit r : process.rlimits()) {
        int n = RlimitNames.number(r.type());
        if (n < 0) {
          throw new ContainerException("process.rlimits: unknown rlimit type \"" + r.type() + "\"");
        }
        plan.rlimit(n, r.soft(), r.hard());
      }
    }
    if (process.user() != null) {
      plan.user(process.user().uid(), process.user().gid());
      if (process.user().additionalGids() != null) {
        for (Long g : process.user().additionalGids()) {
          plan.additionalGroup(g);
        }
      }
      if (process.user().umask() != null) {
        plan.umask(process.user().umask());
      }
    }
    Capabilities caps = process.capabilities();
    if (caps != null) {
      plan.capabilities(
          CapabilityNames.mask(caps.bounding()),
          CapabilityNames.mask(caps.effective()),
          CapabilityNames.mask(caps.inheritable()),
          CapabilityNames.mask(caps.permitted()),
          CapabilityNames.mask(caps.ambient()));
    }
    if (Boolean.TRUE.equals(process.noNewPrivileges())) {
      plan.noNewPrivileges();
    }
    plan.cwd(process.cwd() == null ? "/" : process.cwd());
    if (process.consoleSize() != null) {
      plan.consoleSize(nz(process.consoleSize().height()), nz(process.consoleSize().width()));
    }
    if (process.env() != null) {
      for (String e : process.env()) {
        plan.env(e);
      }
    }
    for (String a : process.args()) {
      plan.arg(a);
    }
  }

  private static int nz(Integer i) {
    return i == null ? 0 : i;
  }
}
