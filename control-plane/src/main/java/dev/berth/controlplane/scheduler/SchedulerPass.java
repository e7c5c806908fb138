package dev.berth.controlplane.scheduler;

import dev.berth.controlplane.cluster.NodeRegistry;
import dev.berth.controlplane.specs.WorkloadStore;
import dev.berth.model.fleet.Assignment;
import dev.berth.model.fleet.ContainerReport;
import dev.berth.model.fleet.FleetEvent;
import dev.berth.model.fleet.NodeRecord;
import dev.berth.model.fleet.Quantity;
import dev.berth.model.fleet.ReplicaIdentity;
import dev.berth.model.fleet.ResourceRequests;
import dev.berth.model.fleet.SchedulingStatus;
import dev.berth.model.fleet.StoredWorkload;
import dev.berth.model.fleet.WorkloadSpec;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One scheduling pass: desired workloads (Kafka) and live nodes (Hazelcast leases) in, the whole
 * placement out to berth.assignments. Replicas on a node whose lease ran out are placed again
 * elsewhere.
 */
public final class SchedulerPass {
  private final WorkloadStore workloads;
  private final NodeRegistry nodes;
  private final AssignmentLog log;
  private final SchedulingStatuses statuses;
  private Set<String> lastAlive; // the live nodes of the last pass; null before the first
  private boolean holding; // every node with placements lost at once: nothing is moved

  /** What a pass did. */
  public record Outcome(int placed, int unschedulable, int written) {}

  public SchedulerPass(
      WorkloadStore workloads, NodeRegistry nodes, AssignmentLog log, SchedulingStatuses statuses) {
    this.statuses = statuses;
    this.workloads = workloads;
    this.nodes = nodes;
    this.log = log;
  }

  /**
   * Takes the scheduler's writes over (fencing the leader before on Kafka's side), forgets what
   * this control plane believed was placed and reads it from Kafka: on becoming leader.
   */
  public void resync() {
    log.claim();
    lastAlive = null;
  }

  /**
   * Whether this control plane sees the fleet: some node alive, or no node known at all (a new
   * fleet). One cut off from every agent sees neither, and should not compete to lead.
   */
  public boolean seesFleet() {
    return !nodes.alive().isEmpty() || nodes.known() == 0;
  }

  public Outcome run() {
    List<StoredWorkload> all = workloads.list();
    List<NodeRecord> alive = nodes.alive();
    noticeNodes(alive);
    Map<String, Placement> current = log.placements();
    if (alive.isEmpty() && !current.isEmpty()) {
      return hold(all);
    }
    holding = false;
    List<NodeCapacity> live =
        alive.stream()
            .map(
                (NodeRecord n) ->
                    new NodeCapacity(
                        n.name(), n.allocatableCpuMillis(), n.allocatableMemoryBytes(), n.labels()))
            .toList();
    Placer.Result result = Placer.place(all, live, current, uniqueReplicas(all, current));
    Map<String, WorkloadSpec> specs = new HashMap<>();
    all.forEach(w -> specs.put(w.spec().name(), w.spec()));
    Map<String, Assignment> desired = new HashMap<>();
    for (Placement p : result.placements().values()) {
      desired.put(p.containerId(), assignment(p, specs.get(p.workload())));
    }
    int written = log.apply(desired);
    statuses.publish(statuses(all, result));
    return new Outcome(desired.size(), result.unschedulable().size(), written);
  }

  /**
   * Where the unique replicas may still run: placed on or reported running by a node alive or lost
   * less than the safety margin ago. Nothing is read when no workload is unique.
   */
  private UniqueReplicas uniqueReplicas(List<StoredWorkload> all, Map<String, Placement> current) {
    Set<String> unique = new HashSet<>();
    all.stream()
        .filter(w -> w.spec().identity() == ReplicaIdentity.UNIQUE)
        .forEach(w -> unique.add(w.spec().name()));
    if (unique.isEmpty()) {
      return UniqueReplicas.none();
    }
    Set<String> fencing = nodes.lostWithin(ReplicaIdentity.SAFETY_MARGIN_MILLIS);
    Set<String> mayRun = new HashSet<>(fencing);
    nodes.alive().forEach(n -> mayRun.add(n.name()));
    Map<String, String> holders = new HashMap<>();
    for (ContainerReport r : nodes.running(unique)) {
      int replica = Placement.replicaOf(r.containerId());
      if (replica >= 0 && mayRun.contains(r.node())) {
        holders.put(UniqueReplicas.key(r.workload(), replica), r.node());
      }
    }
    for (Placement p : current.values()) { // what is placed wins over an older report
      if (unique.contains(p.workload()) && mayRun.contains(p.node())) {
        holders.put(UniqueReplicas.key(p.workload(), p.replica()), p.node());
      }
    }
    return new UniqueReplicas(fencing, holders);
  }

  /**
   * Every node that runs something lost at once: far more likely this control plane is cut off from
   * the fleet (a network split) than that all of it died, so nothing is moved, as Kubernetes' node
   * lifecycle controller stops evicting in a full disruption. What no longer belongs to a workload
   * (deleted, scaled down, replaced) is still taken off.
   */
  private Outcome hold(List<StoredWorkload> all) {
    if (!holding) {
      holding = true;
      log.publish(
          nodeEvent(
              System.currentTimeMillis(),
              "*",
              "unreachable",
              "every node lost at once: nothing is moved until one is back (this control plane"
                  + " may be cut off from the fleet)"));
    }
    Map<String, StoredWorkload> byName = new HashMap<>();
    all.forEach(w -> byName.put(w.spec().name(), w));
    Map<String, Assignment> desired = new HashMap<>();
    for (Assignment a : log.assignments().values()) {
      StoredWorkload w = byName.get(a.workload());
      if (w != null && a.replica() < w.spec().replicaCount()) {
        desired.put(a.containerId(), a); // as it is, even of an older generation
      }
    }
    int written = log.apply(desired);
    return new Outcome(desired.size(), 0, written);
  }

  /**
   * Says on berth.events which nodes were lost (lease ran out) or came (back) since the last pass;
   * nothing on a leader's first pass, which has nothing to compare with.
   */
  private void noticeNodes(List<NodeRecord> alive) {
    Set<String> now = new HashSet<>();
    alive.forEach(n -> now.add(n.name()));
    if (lastAlive != null) {
      long time = System.currentTimeMillis();
      for (String lost : lastAlive) {
        if (!now.contains(lost)) {
          log.publish(nodeEvent(time, lost, "lost", "its lease ran out: its containers move"));
        }
      }
      for (String came : now) {
        if (!lastAlive.contains(came)) {
          log.publish(nodeEvent(time, came, "ready", "renews its lease: schedulable"));
        }
      }
    }
    lastAlive = now;
  }

  private static FleetEvent nodeEvent(long time, String node, String state, String message) {
    return new FleetEvent(time, "node", node, null, null, 0, state, null, 0, message);
  }

  private static Map<String, SchedulingStatus> statuses(List<StoredWorkload> all, Placer.Result r) {
    Map<String, SchedulingStatus> out = new HashMap<>();
    for (StoredWorkload w : all) {
      String name = w.spec().name();
      Placer.Unplaced u = r.unplaced().get(name);
      int missing = u == null ? 0 : u.replicas();
      out.put(
          name,
          new SchedulingStatus(
              name,
              w.generation(),
              w.spec().replicaCount() - missing,
              missing,
              u == null ? null : u.reason()));
    }
    return out;
  }

  static Assignment assignment(Placement p, WorkloadSpec spec) {
    ResourceRequests limits = spec.resources() == null ? null : spec.resources().limits();
    Long cpu = limits == null || limits.cpu() == null ? null : Quantity.millicores(limits.cpu());
    Long memory =
        limits == null || limits.memory() == null ? null : Quantity.bytes(limits.memory());
    return new Assignment(
        p.containerId(),
        p.node(),
        p.workload(),
        p.generation(),
        p.replica(),
        spec.image(),
        spec.command(),
        spec.args(),
        spec.env(),
        cpu,
        memory,
        spec.restartPolicy(),
        spec.restartLimit(),
        spec.networkMode(),
        spec.portList(),
        spec.replicaIdentity(),
        limits == null ? null : limits.pids(),
        spec.securityContext());
  }
}
