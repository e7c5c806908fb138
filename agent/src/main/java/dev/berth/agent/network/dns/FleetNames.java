package dev.berth.agent.network.dns;

import dev.berth.model.fleet.ContainerReport;
import dev.berth.model.fleet.ContainerState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which addresses a workload's name stands for: the running replicas that have one, fleet-wide, as
 * the live view reports them. Immutable; rebuilt from the view every refresh.
 */
public final class FleetNames {
  /** The domain workload names resolve in (Kubernetes has cluster.local). */
  public static final String DOMAIN = "berth.internal";

  private final Map<String, List<String>> byWorkload;
  private final String suffix;

  private FleetNames(Map<String, List<String>> byWorkload, String suffix) {
    this.byWorkload = byWorkload;
    this.suffix = suffix;
  }

  /**
   * The names in {@code reports}, answered as {@code <workload>} and {@code <workload>.<suffix>}.
   */
  public static FleetNames of(Collection<ContainerReport> reports, String suffix) {
    Map<String, List<String>> map = new TreeMap<>();
    for (ContainerReport r : reports) {
      if (r.state() == ContainerState.RUNNING && r.ip() != null && r.workload() != null) {
        map.computeIfAbsent(r.workload(), k -> new ArrayList<>()).add(r.ip());
      }
    }
    map.values().forEach(l -> l.sort(null));
    return new FleetNames(map, normal(suffix));
  }

  /** The domain Berth answers for ("berth.internal"). */
  public String suffix() {
    return suffix;
  }

  /**
   * The addresses of {@code name} (with or without the trailing dot, any case); empty when it is
   * not a workload's name.
   */
  public List<String> lookup(String name) {
    String n = normal(name);
    if (n.endsWith("." + suffix)) {
      n = n.substring(0, n.length() - suffix.length() - 1);
    }
    return n.contains(".") ? List.of() : byWorkload.getOrDefault(n, List.of());
  }

  /**
   * True when {@code name} is in Berth's own domain: an unknown one there is NXDOMAIN, not
   * forwarded.
   */
  public boolean inOwnDomain(String name) {
    String n = normal(name);
    return n.equals(suffix)
        || n.endsWith("." + suffix)
        || (!n.contains(".") && byWorkload.containsKey(n));
  }

  private static String normal(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }
}
