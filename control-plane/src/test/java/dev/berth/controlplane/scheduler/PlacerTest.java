package dev.berth.controlplane.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.model.fleet.ContainerPort;
import dev.berth.model.fleet.ReplicaIdentity;
import dev.berth.model.fleet.ResourceRequests;
import dev.berth.model.fleet.ResourceRequirements;
import dev.berth.model.fleet.StoredWorkload;
import dev.berth.model.fleet.WorkloadSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PlacerTest {
  private static StoredWorkload workload(
      String name,
      int replicas,
      long generation,
      String cpu,
      String memory,
      Map<String, String> selector) {
    ResourceRequirements res =
        new ResourceRequirements(new ResourceRequests(cpu, memory, null), null);
    return new StoredWorkload(
        new WorkloadSpec(
            name, "busybox", null, null, null, replicas, res, null, null, selector, null, null,
            null, null),
        generation);
  }

  private static NodeCapacity node(
      String name, long cpuMillis, long memMi, Map<String, String> labels) {
    return new NodeCapacity(name, cpuMillis, memMi << 20, labels);
  }

  private static Map<String, Long> perNode(Placer.Result r) {
    return r.placements().values().stream()
        .collect(Collectors.groupingBy(Placement::node, Collectors.counting()));
  }

  private static StoredWorkload publishing(String name, int replicas, int hostPort) {
    return new StoredWorkload(
        new WorkloadSpec(
            name,
            "busybox",
            null,
            null,
            null,
            replicas,
            null,
            null,
            null,
            null,
            List.of(new ContainerPort("http", 80, hostPort, null)),
            null,
            null,
            null),
        1);
  }

  @Test
  void twoReplicasNeverShareAHostPortOnANodeAndTheReasonIsGiven() {
    Placer.Result one =
        Placer.place(
            List.of(publishing("web", 2, 8080)),
            List.of(node("a", 2000, 1024, Map.of())),
            Map.of());
    assertEquals(1, one.placements().size(), "one replica takes the port");
    assertEquals(List.of("web-g1-r1"), one.unschedulable());
    assertEquals(
        new Placer.Unplaced(1, "0/1 nodes are available: 1 with hostPort 8080/TCP in use"),
        one.unplaced().get("web"));

    Placer.Result two =
        Placer.place(
            List.of(publishing("web", 2, 8080), publishing("api", 1, 8080)),
            List.of(node("a", 2000, 1024, Map.of()), node("b", 2000, 1024, Map.of())),
            Map.of());
    assertEquals(List.of(1L, 1L), perNode(two).values().stream().toList(), "one 8080 per node");
    assertEquals(List.of("web-g1-r1"), two.unschedulable(), "the third wanting 8080 has no node");
  }

  @Test
  void replicasAreSpreadAcrossNodesThatFit() {
    Placer.Result r =
        Placer.place(
            List.of(workload("web", 3, 1, "100m", "64Mi", null)),
            List.of(node("a", 2000, 1024, Map.of()), node("b", 2000, 1024, Map.of())),
            Map.of());
    assertEquals(3, r.placements().size());
    // Which node gets two of the three is a tie; that both nodes are used, two and one, is what
    // matters.
    assertEquals(List.of(1L, 2L), perNode(r).values().stream().sorted().toList());
  }

  @Test
  void capacityAndSelectorsAreRespectedAndWhatDoesNotFitIsReported() {
    Placer.Result r =
        Placer.place(
            List.of(workload("big", 3, 1, "1500m", "128Mi", Map.of("zone", "a"))),
            List.of(
                node("a1", 2000, 1024, Map.of("zone", "a")),
                node("b1", 8000, 8192, Map.of("zone", "b"))),
            Map.of());
    assertEquals(
        1, r.placements().size(), "a1 takes one 1.5-core replica; b1 is in the wrong zone");
    assertEquals("a1", r.placements().values().iterator().next().node());
    assertEquals(2, r.unschedulable().size());
  }

  @Test
  void validPlacementsStayWhereTheyAreWhenScalingUpAndDown() {
    List<NodeCapacity> nodes =
        List.of(node("a", 4000, 4096, Map.of()), node("b", 4000, 4096, Map.of()));
    Placer.Result three =
        Placer.place(List.of(workload("web", 3, 1, "100m", "64Mi", null)), nodes, Map.of());
    Placer.Result five =
        Placer.place(
            List.of(workload("web", 5, 1, "100m", "64Mi", null)), nodes, three.placements());
    for (Placement p : three.placements().values()) {
      assertEquals(p, five.placements().get(p.containerId()), "an existing replica does not move");
    }
    assertEquals(5, five.placements().size());
    Placer.Result one =
        Placer.place(
            List.of(workload("web", 1, 1, "100m", "64Mi", null)), nodes, five.placements());
    assertEquals(1, one.placements().size());
    assertTrue(one.placements().containsKey(Placement.containerId("web", 1, 0)));
  }

  @Test
  void aChangedSpecReplacesItsContainersAndALostNodesReplicasMove() {
    List<NodeCapacity> nodes =
        List.of(node("a", 4000, 4096, Map.of()), node("b", 4000, 4096, Map.of()));
    Placer.Result gen1 =
        Placer.place(List.of(workload("web", 2, 1, "100m", "64Mi", null)), nodes, Map.of());
    Placer.Result gen2 =
        Placer.place(
            List.of(workload("web", 2, 2, "100m", "64Mi", null)), nodes, gen1.placements());
    assertTrue(
        gen2.placements().keySet().stream().allMatch(id -> id.startsWith("web-g2-")),
        gen2.placements().toString());
    Placer.Result afterLoss =
        Placer.place(
            List.of(workload("web", 2, 2, "100m", "64Mi", null)),
            List.of(node("b", 4000, 4096, Map.of())),
            gen2.placements());
    assertEquals(2, afterLoss.placements().size());
    assertTrue(afterLoss.placements().values().stream().allMatch(p -> p.node().equals("b")));
  }

  @Test
  void aUniqueReplicaStillRunningWhereItsNextGenerationDoesNotFitWaitsAndSaysWhy() {
    StoredWorkload g2 =
        new StoredWorkload(
            new WorkloadSpec(
                "solo",
                "busybox",
                null,
                null,
                null,
                1,
                new ResourceRequirements(new ResourceRequests(null, "512Mi", null), null),
                null,
                null,
                null,
                null,
                null,
                ReplicaIdentity.UNIQUE,
                null),
            2);
    List<NodeCapacity> nodes =
        List.of(node("a", 1000, 256, Map.of()), node("b", 1000, 4096, Map.of()));
    Placer.Result r =
        Placer.place(
            List.of(g2),
            nodes,
            Map.of(),
            new UniqueReplicas(Set.of(), Map.of(UniqueReplicas.key("solo", 0), "a")));
    assertEquals(Map.of(), r.placements(), "not on b while a may still run it");
    assertTrue(
        r.unplaced().get("solo").reason().contains("still runs on a"), r.unplaced().toString());
    Placer.Result stopped = Placer.place(List.of(g2), nodes, Map.of(), UniqueReplicas.none());
    assertEquals("b", stopped.placements().get("solo-g2-r0").node(), "once stopped there");
  }

  @Test
  void aReplicaIndexIsReadBackFromItsContainerIdOnly() {
    assertEquals(12, Placement.replicaOf(Placement.containerId("web-r2", 3, 12)));
    assertEquals(-1, Placement.replicaOf("web-g1-rx"));
    assertEquals(-1, Placement.replicaOf("web-g1-r99999999999"));
  }

  @Test
  void manyReplicasOverManyNodesArePlacedQuickly() {
    List<NodeCapacity> nodes = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      nodes.add(node("n" + i, 4000, 8192, Map.of()));
    }
    List<StoredWorkload> workloads = new ArrayList<>();
    for (int w = 0; w < 200; w++) {
      workloads.add(workload("w" + w, 100, 1, "10m", "16Mi", null));
    }
    Placer.Result r = Placer.place(workloads, nodes, new HashMap<>());
    assertEquals(20_000, r.placements().size());
    assertEquals(List.of(), r.unschedulable());
    assertTrue(perNode(r).values().stream().allMatch(c -> c == 10), "evenly spread: 10 per node");
  }
}
