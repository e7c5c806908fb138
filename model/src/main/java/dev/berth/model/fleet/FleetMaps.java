package dev.berth.model.fleet;

/** The Hazelcast maps of the live fleet view. */
public final class FleetMaps {
  /** Node name to {@link NodeRecord}: capacity, labels, lease. */
  public static final String NODES = "nodes";

  /** Container id to {@link ContainerReport}: actual state as its agent last reported it. */
  public static final String CONTAINERS = "containers";

  /** Workload name to {@link SchedulingStatus}: what the scheduler's last pass did with it. */
  public static final String SCHEDULING = "scheduling";

  /**
   * Container id to its last {@link ContainerSample} (CPU, memory, pids), kept a short while:
   * written by agents every few seconds, read by the dashboard.
   */
  public static final String SAMPLES = "containerSamples";

  /**
   * One key, {@code PodSubnetTable.KEY}, holding the {@link
   * dev.berth.model.network.PodSubnetTable}: the cluster range and each node's subnet.
   */
  public static final String POD_SUBNETS = "podSubnets";

  /**
   * GitOps source name to its {@link dev.berth.model.gitops.GitSourceStatus}: written by the sync
   * controller (the leader), read by every API.
   */
  public static final String GITOPS = "gitops";

  private FleetMaps() {}
}
