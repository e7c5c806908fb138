package dev.berth.model.fleet;

/**
 * A workload's securityContext, as Kubernetes names it: capabilities added to or dropped from the
 * node's default set, the user and group its processes run as (over the image's USER), a read-only
 * root filesystem, and {@code hostUsers: true} to run without a user namespace of its own (the
 * host's ids, as Kubernetes' pod field). The node's policy bounds what may be added, and whether
 * host users are allowed at all.
 */
public record SecurityContext(
    CapabilityChanges capabilities,
    Long runAsUser,
    Long runAsGroup,
    Boolean readOnlyRootFilesystem,
    Boolean hostUsers) {

  /** The four fields before hostUsers (a user namespace of its own). */
  public SecurityContext(
      CapabilityChanges capabilities,
      Long runAsUser,
      Long runAsGroup,
      Boolean readOnlyRootFilesystem) {
    this(capabilities, runAsUser, runAsGroup, readOnlyRootFilesystem, null);
  }

  /** Whether the workload asks for the host's ids (no user namespace). */
  public boolean wantsHostUsers() {
    return Boolean.TRUE.equals(hostUsers);
  }

  /** Whether the root filesystem is mounted read-only. */
  public boolean readOnlyRoot() {
    return Boolean.TRUE.equals(readOnlyRootFilesystem);
  }
}
