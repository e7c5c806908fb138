package dev.berth.runtime.init;

import dev.berth.model.runtime.ContainerProcess;
import dev.berth.model.runtime.LinuxNamespace;
import dev.berth.model.runtime.Spec;
import dev.berth.runtime.ContainerException;
import java.util.List;

/** Turns an exec request into the plan berth-init carries out to join a running container. */
public final class ExecPlanner {
  private ExecPlanner() {}

  /**
   * A plan that joins every namespace of the container whose init process is {@code pid}; with
   * {@code monitored} false berth-init exits once the process runs, leaving it to whoever reaps the
   * orphans of the caller (its subreaper), as runc's exec -d does.
   */
  public static InitPlan plan(
      Spec container,
      int pid,
      ContainerProcess process,
      String consoleSocket,
      SeccompCache seccompCache,
      boolean monitored)
      throws ContainerException {
    InitPlan plan = new InitPlan(InitPlan.Mode.EXEC).cloneFlags(0);
    if (monitored) {
      plan.monitor();
    }
    List<LinuxNamespace> namespaces =
        container.linux() == null || container.linux().namespaces() == null
            ? List.of()
            : container.linux().namespaces();
    for (NamespaceKind kind : NamespaceKind.values()) {
      if (namespaces.stream().anyMatch(n -> n.type().equals(kind.specName()))) {
        plan.join(kind.cloneFlag(), "/proc/" + pid + "/ns/" + kind.procName());
      }
    }
    if (consoleSocket != null) {
      plan.consoleSocket(consoleSocket);
    }
    ProcessPlanner.plan(plan, withContainerDefaults(process, container.process()));
    // As runc: an exec'd process is filtered as the container's own.
    SeccompPlanner.plan(
        plan, container.linux() == null ? null : container.linux().seccomp(), seccompCache);
    return plan;
  }

  /**
   * As runc: the privileges an exec'd process leaves out are the container's own (capabilities,
   * no_new_privs, rlimits, AppArmor and SELinux labels), never more than it has.
   */
  static ContainerProcess withContainerDefaults(ContainerProcess p, ContainerProcess container) {
    if (container == null) {
      return p;
    }
    return new ContainerProcess(
        p.terminal(),
        p.consoleSize(),
        p.user(),
        p.args(),
        p.commandLine(),
        p.env(),
        p.cwd(),
        p.capabilities() != null ? p.capabilities() : container.capabilities(),
        p.rlimits() != null && !p.rlimits().isEmpty() ? p.rlimits() : container.rlimits(),
        p.noNewPrivileges() != null ? p.noNewPrivileges() : container.noNewPrivileges(),
        p.apparmorProfile() != null && !p.apparmorProfile().isEmpty()
            ? p.apparmorProfile()
            : container.apparmorProfile(),
        p.oomScoreAdj(),
        p.selinuxLabel() != null && !p.selinuxLabel().isEmpty()
            ? p.selinuxLabel()
            : container.selinuxLabel(),
        p.extra());
  }
}
