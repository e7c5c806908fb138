package dev.berth.model.fleet;

/**
 * A workload's securityContext, as Kubernetes names it: capabilities added to or dropped from the
 * node's default set, the user and group its processes run as (over the image's USER), and a
 * read-only root filesystem. The node's policy bounds what may be added.
 */
public record SecurityContext(
    CapabilityChanges capabilities,
    Long runAsUser,
    Long runAsGroup,
    Boolean readOnlyRootFilesystem) {

  /** Whether the root filesystem is mounted read-only. */
  public boolean readOnlyRoot() {
    return Boolean.TRUE.equals(readOnlyRootFilesystem);
  }
}
