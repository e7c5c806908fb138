package dev.berth.model.fleet;

/**
 * Bounds on what workload specs may carry, so that no count or size a user sends is unbounded:
 * replicas per workload and in the whole fleet, command and argument strings, environment
 * variables, node selector labels. Each refusal names the field and the limit.
 */
public record SpecLimits(
    int maxReplicas,
    long maxFleetReplicas,
    int maxArgs,
    int maxArgsBytes,
    int maxEnv,
    int maxEnvBytes,
    int maxSelectorLabels) {
  /**
   * Replicas as the issue asks (10,000 a workload, 100,000 a fleet); argument and environment sizes
   * well inside Linux's (128 KiB a string, 2 MiB for all of them).
   */
  public static final SpecLimits DEFAULT =
      new SpecLimits(10_000, 100_000, 1024, 128 * 1024, 1024, 256 * 1024, 64);

  public SpecLimits {
    if (maxReplicas < 0
        || maxFleetReplicas < maxReplicas
        || maxArgs < 1
        || maxArgsBytes < 1
        || maxEnv < 0
        || maxEnvBytes < 0
        || maxSelectorLabels < 0) {
      throw new IllegalArgumentException(
          "spec limits must not be negative, and the fleet's replicas at least a workload's");
    }
  }

  /** The same limits with {@code replicas} a workload and {@code fleet} in all. */
  public SpecLimits withReplicas(int replicas, long fleet) {
    return new SpecLimits(
        replicas, fleet, maxArgs, maxArgsBytes, maxEnv, maxEnvBytes, maxSelectorLabels);
  }
}
