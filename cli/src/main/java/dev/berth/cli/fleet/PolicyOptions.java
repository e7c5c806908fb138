package dev.berth.cli.fleet;

import dev.berth.agent.security.ContainerPolicy;
import picocli.CommandLine.Option;

/** What a node lets its containers ask for beyond the defaults: the host's ids, privilege. */
final class PolicyOptions {
  @Option(
      names = "--allow-host-users",
      description =
          "run containers whose spec says securityContext.hostUsers: true without a user namespace"
              + " (default: every container gets one)")
  boolean allowHostUsers;

  @Option(
      names = "--allow-privileged",
      description =
          "run containers whose spec says securityContext.privileged: true (every capability and"
              + " device, no syscall filter, host ids); default: refused")
  boolean allowPrivileged;

  ContainerPolicy policy() {
    return ContainerPolicy.DEFAULT.allowing(allowHostUsers, allowPrivileged);
  }
}
