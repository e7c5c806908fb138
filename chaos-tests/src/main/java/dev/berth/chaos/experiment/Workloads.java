package dev.berth.chaos.experiment;

import dev.berth.chaos.lab.Lab;
import java.util.Map;

/**
 * The workloads every experiment watches: a replicated service (at-least-once, as a Kubernetes
 * Deployment) and a singleton (at-least-once too until {@code replicaIdentity: unique} exists; its
 * overlaps are reported with the rest).
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
    return Map.of(SERVICE, spec(SERVICE, 2 * agents, ""), SINGLETON, spec(SINGLETON, 1, ""));
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
