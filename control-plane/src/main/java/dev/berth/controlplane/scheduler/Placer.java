package dev.berth.controlplane.scheduler;

import dev.berth.model.fleet.ContainerPort;
import dev.berth.model.fleet.Quantity;
import dev.berth.model.fleet.ReplicaIdentity;
import dev.berth.model.fleet.ResourceRequests;
import dev.berth.model.fleet.StoredWorkload;
import dev.berth.model.fleet.WorkloadSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;

/**
 * Decides where every replica runs. Level-triggered: given all workloads, the live nodes and the
 * current placements, it returns the whole desired placement. A placement that is still valid (same
 * generation, node alive and matching) is kept; the rest go to the node that fits (CPU and memory
 * requests against what is left, node selector, the host ports it publishes still free there, as
 * Kubernetes' NodePorts filter) and has the fewest replicas of that workload, then the most free
 * memory. A unique replica (see {@link dev.berth.model.fleet.ReplicaIdentity}) that may still run
 * somewhere goes nowhere else: it stays on a node lost less than the safety margin ago, and a new
 * generation of it goes to the node that still runs the old one (which replaces it in one reconcile
 * pass, stopping the old first) or waits until that one has stopped.
 */
public final class Placer {
  /**
   * The desired placements, the replicas no node can take now, and why, by workload (as the
   * Kubernetes scheduler says it: counts of nodes by reason, so it stays small on any fleet).
   */
  public record Result(
      Map<String, Placement> placements,
      List<String> unschedulable,
      Map<String, Unplaced> unplaced) {}

  /** How many replicas of a workload have no node, and why. */
  public record Unplaced(int replicas, String reason) {}

  private Placer() {}

  public static Result place(
      List<StoredWorkload> workloads, List<NodeCapacity> nodes, Map<String, Placement> current) {
    return place(workloads, nodes, current, UniqueReplicas.none());
  }

  public static Result place(
      List<StoredWorkload> workloads,
      List<NodeCapacity> nodes,
      Map<String, Placement> current,
      UniqueReplicas unique) {
    Map<String, Free> free = new HashMap<>();
    for (NodeCapacity n : nodes) {
      free.put(n.name(), new Free(n, n.cpuMillis(), n.memoryBytes()));
    }
    Map<String, Placement> desired = new HashMap<>();
    Map<String, StoredWorkload> byName = new HashMap<>();
    for (StoredWorkload w : workloads) {
      byName.put(w.spec().name(), w);
    }
    // Keep what is still valid first, so that capacity accounts for it.
    Set<String> uniqueKept = new HashSet<>();
    for (Placement p : current.values()) {
      StoredWorkload w = byName.get(p.workload());
      WorkloadSpec spec = w == null ? null : w.spec();
      Free node = free.get(p.node());
      if (w != null
          && spec.identity() == ReplicaIdentity.UNIQUE
          && p.replica() < spec.replicaCount()
          && unique.fencingNodes().contains(p.node())) {
        // Its node may not have stopped it yet: it stays there, as it is, until the margin is past.
        desired.put(p.containerId(), p);
        uniqueKept.add(UniqueReplicas.key(p.workload(), p.replica()));
      } else if (w != null
          && w.generation() == p.generation()
          && p.replica() < spec.replicaCount()
          && node != null
          && matches(node.node, spec)
          && !desired.containsKey(p.containerId())) {
        node.take(cpu(spec), memory(spec), spec);
        desired.put(p.containerId(), p);
      }
    }
    List<String> unschedulable = new ArrayList<>();
    Map<String, Unplaced> unplaced = new HashMap<>();
    List<StoredWorkload> ordered = new ArrayList<>(workloads);
    ordered.sort(Comparator.comparing(w -> w.spec().name()));
    for (StoredWorkload w : ordered) {
      WorkloadSpec spec = w.spec();
      long cpu = cpu(spec);
      long mem = memory(spec);
      PriorityQueue<Free> candidates =
          new PriorityQueue<>(
              Comparator.comparingInt((Free f) -> f.replicasOf(spec.name()))
                  .thenComparing(f -> -f.memory)
                  .thenComparing(f -> f.node.name()));
      for (Free f : free.values()) {
        if (matches(f.node, spec)) {
          candidates.add(f);
        }
      }
      int tooFull = 0;
      Map<String, Integer> portTaken = new TreeMap<>();
      for (int r = 0; r < spec.replicaCount(); r++) {
        String id = Placement.containerId(spec.name(), w.generation(), r);
        if (desired.containsKey(id)) {
          continue;
        }
        Free chosen = null;
        String waiting = null;
        if (spec.identity() == ReplicaIdentity.UNIQUE) {
          String key = UniqueReplicas.key(spec.name(), r);
          String holder = unique.holders().get(key);
          if (uniqueKept.contains(key) || holder != null && !free.containsKey(holder)) {
            waiting =
                "replica "
                    + r
                    + " is unique and its node "
                    + holder
                    + " was lost: it starts elsewhere once that node's lease plus "
                    + ReplicaIdentity.SAFETY_MARGIN_MILLIS
                    + " ms have passed";
          } else if (holder != null) {
            Free there = free.get(holder);
            if (matches(there.node, spec) && fits(there, cpu, mem, spec)) {
              candidates.remove(there);
              chosen = there;
            } else {
              waiting =
                  "replica "
                      + r
                      + " is unique and still runs on "
                      + holder
                      + ", where this generation does not fit: it starts elsewhere once stopped"
                      + " there";
            }
          }
          if (waiting != null) {
            unschedulable.add(id);
            Unplaced before = unplaced.get(spec.name());
            unplaced.put(
                spec.name(), new Unplaced(before == null ? 1 : before.replicas() + 1, waiting));
            continue;
          }
        }
        while (chosen == null && !candidates.isEmpty()) {
          Free f = candidates.poll();
          String taken = f.takenPort(spec);
          if (fits(f, cpu, mem, spec)) {
            chosen = f;
            break;
          }
          // Too full for this workload now (or its host port is taken), and it only gets fuller:
          // leave it out for the rest of its replicas.
          if (taken != null) {
            portTaken.merge(taken, 1, Integer::sum);
          } else {
            tooFull++;
          }
        }
        if (chosen == null) {
          unschedulable.add(id);
          Unplaced before = unplaced.get(spec.name());
          unplaced.put(
              spec.name(),
              new Unplaced(
                  before == null ? 1 : before.replicas() + 1,
                  reason(free.size(), tooFull, portTaken)));
          continue;
        }
        chosen.take(cpu, mem, spec);
        candidates.add(chosen);
        desired.put(id, new Placement(id, spec.name(), w.generation(), r, chosen.node.name()));
      }
    }
    return new Result(desired, unschedulable, unplaced);
  }

  private static String reason(int nodes, int tooFull, Map<String, Integer> portTaken) {
    List<String> why = new ArrayList<>();
    int matching = tooFull + portTaken.values().stream().mapToInt(Integer::intValue).sum();
    if (nodes > matching) {
      why.add((nodes - matching) + " not matching its node selector");
    }
    if (tooFull > 0) {
      why.add(tooFull + " with too little CPU or memory left");
    }
    portTaken.forEach((port, n) -> why.add(n + " with hostPort " + port + " in use"));
    return "0/" + nodes + " nodes are available: " + String.join(", ", why);
  }

  private static boolean fits(Free f, long cpu, long mem, WorkloadSpec spec) {
    return f.cpu >= cpu && f.memory >= mem && f.takenPort(spec) == null;
  }

  private static boolean matches(NodeCapacity node, WorkloadSpec spec) {
    if (spec.nodeSelector() == null) {
      return true;
    }
    return spec.nodeSelector().entrySet().stream()
        .allMatch(
            e -> e.getValue().equals(node.labels() == null ? null : node.labels().get(e.getKey())));
  }

  private static long cpu(WorkloadSpec spec) {
    ResourceRequests r = spec.resources() == null ? null : spec.resources().requests();
    return r == null || r.cpu() == null ? 0 : Quantity.millicores(r.cpu());
  }

  private static long memory(WorkloadSpec spec) {
    ResourceRequests r = spec.resources() == null ? null : spec.resources().requests();
    return r == null || r.memory() == null ? 0 : Quantity.bytes(r.memory());
  }

  /** What is left on a node while placing, and how many replicas of each workload it got. */
  private static final class Free {
    final NodeCapacity node;
    long cpu;
    long memory;
    final Map<String, Integer> replicas = new HashMap<>();
    final Set<String> hostPorts = new HashSet<>();

    Free(NodeCapacity node, long cpu, long memory) {
      this.node = node;
      this.cpu = cpu;
      this.memory = memory;
    }

    void take(long c, long m, WorkloadSpec spec) {
      cpu -= c;
      memory -= m;
      replicas.merge(spec.name(), 1, Integer::sum);
      for (ContainerPort p : spec.portList()) {
        if (p.published()) {
          hostPorts.add(key(p));
        }
      }
    }

    /** The first host port {@code spec} publishes that is taken here ("8080/TCP"), or null. */
    String takenPort(WorkloadSpec spec) {
      for (ContainerPort p : spec.portList()) {
        if (p.published() && hostPorts.contains(key(p))) {
          return key(p);
        }
      }
      return null;
    }

    private static String key(ContainerPort p) {
      return p.hostPort() + "/" + p.protocolOrTcp();
    }

    int replicasOf(String workload) {
      return replicas.getOrDefault(workload, 0);
    }
  }
}
