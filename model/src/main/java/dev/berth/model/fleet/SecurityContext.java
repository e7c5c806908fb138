package dev.berth.model.fleet;

/**
 * A workload's securityContext, as Kubernetes names it: capabilities added to or dropped from the
 * node's default set, the user and group its processes run as (over the image's USER), a read-only
 * root filesystem, {@code hostUsers: true} to run without a user namespace of its own (the host's
 * ids, as Kubernetes' pod field), and {@code privileged: true} for every capability, every device
 * and no syscall filter or masked paths (as Docker's --privileged). The node's policy bounds what
 * may be added, and whether host users and privileged containers are allowed at all.
 */
public record SecurityContext(
    CapabilityChanges capabilities,
    Long runAsUser,
    Long runAsGroup,
    Boolean readOnlyRootFilesystem,
    Boolean hostUsers,
    Boolean privileged) {

  /** The five fields before privileged (not privileged). */
  public SecurityContext(
      CapabilityChanges capabilities,
      Long runAsUser,
      Long runAsGroup,
      Boolean readOnlyRootFilesystem,
      Boolean hostUsers) {
    this(capabilities, runAsUser, runAsGroup, readOnlyRootFilesystem, hostUsers, null);
  }

  /** The four fields before hostUsers (a user namespace of its own). */
  public SecurityContext(
      CapabilityChanges capabilities,
      Long runAsUser,
      Long runAsGroup,
      Boolean readOnlyRootFilesystem) {
    this(capabilities, runAsUser, runAsGroup, readOnlyRootFilesystem, null, null);
  }

  /** Whether the workload asks for the host's ids (no user namespace). */
  public boolean wantsHostUsers() {
    return Boolean.TRUE.equals(hostUsers);
  }

  /** Whether the workload asks to be privileged. */
  public boolean wantsPrivileged() {
    return Boolean.TRUE.equals(privileged);
  }

  /** Whether the root filesystem is mounted read-only. */
  public boolean readOnlyRoot() {
    return Boolean.TRUE.equals(readOnlyRootFilesystem);
  }
}
