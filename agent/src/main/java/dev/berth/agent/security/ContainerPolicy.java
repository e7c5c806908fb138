package dev.berth.agent.security;

/**
 * What a node allows the containers it runs, whatever their specs ask: for now the number of
 * processes (pids.max), with a default for specs that set none, so that one fork bomb cannot take
 * the node (as Podman's default pids limit and the kubelet's podPidsLimit).
 */
public record ContainerPolicy(int defaultPids, int maxPids) {
  /** Podman's default limit, and a ceiling far above any ordinary workload. */
  public static final ContainerPolicy DEFAULT = new ContainerPolicy(2048, 32768);

  /**
   * The pids limit for a container whose spec asks for {@code requested} (null: none); refused
   * above the node's maximum.
   */
  public int pids(Integer requested) {
    if (requested == null) {
      return defaultPids;
    }
    if (requested > maxPids) {
      throw new IllegalArgumentException(
          "resources.limits.pids "
              + requested
              + " is more than this node allows a container ("
              + maxPids
              + ")");
    }
    return requested;
  }
}
