package dev.berth.chaos.experiment;

import dev.berth.chaos.lab.Lab;
import java.util.Map;

/**
 * The workloads every experiment watches: a replicated service (at-least-once, as a Kubernetes
 * Deployment: its overlaps are reported) and a singleton with {@code replicaIdentity: unique} (at
 * most once: any overlap of it fails the experiment).
 */
public final class Workloads {
  public static final String SERVICE = "chaos-web";
  public static final String SINGLETON = "chaos-solo";

  private Workloads() {}

  /** Desired replica counts of the watched workloads in a lab of {@code agents} agents. */
  public static Map<String, Integer> desired(int agents) {
    return Map.of(SERVICE, 2 * agents, SINGLETON, 1);
  }

  /** The specs to apply. */
  public static Map<String, String> specs(int agents) {
    return Map.of(
        SERVICE,
        spec(SERVICE, 2 * agents, ""),
        SINGLETON,
        spec(SINGLETON, 1, ",\"replicaIdentity\":\"unique\""));
  }

  private static String spec(String name, int replicas, String more) {
    return "{\"name\":\""
        + name
        + "\",\"image\":\""
        + Lab.IMAGE
        + "\",\"command\":[\"sleep\",\"1000000\"],\"replicas\":"
        + replicas
        + ",\"network\":\"none\""
        + more
        + "}";
  }
}
