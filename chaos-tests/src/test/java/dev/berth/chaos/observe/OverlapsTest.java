package dev.berth.chaos.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What counts as running twice: overlapping intervals of one identity, not a hand-over. */
class OverlapsTest {
  private static ContainerRun run(String node, String id, long start, long end) {
    var p = ReplicaIdentity.parse(id).orElseThrow();
    return new ContainerRun(node, id, p.identity(), p.generation(), start, end);
  }

  @Test
  void twoContainersOfOneIdentityRunningAtOnceOverlapForTheTimeBothRan() {
    List<Overlaps.Overlap> o =
        Overlaps.of(
            List.of(
                run("a1", "web-g1-r0", 1000, 5000),
                run("a2", "web-g1-r0", 4000, 9000),
                run("a2", "web-g1-r1", 1000, 9000)),
            0,
            10_000);
    assertEquals(1, o.size());
    assertEquals(new ReplicaIdentity("web", 0), o.get(0).identity());
    assertEquals(1000, o.get(0).totalMillis());
  }

  @Test
  void aHandOverInOneSampleIsNoOverlapAndAnOpenRunCountsUntilTheEnd() {
    assertEquals(
        List.of(),
        Overlaps.of(
            List.of(run("a1", "solo-g1-r0", 0, 3000), run("a2", "solo-g1-r0", 3000, -1)),
            0,
            10_000));
    List<Overlaps.Overlap> open =
        Overlaps.of(
            List.of(run("a1", "solo-g1-r0", 0, -1), run("a2", "solo-g2-r0", 6000, -1)), 0, 10_000);
    assertEquals(4000, open.get(0).totalMillis(), "generations do not matter: one identity");
    assertEquals(4000, open.get(0).longestMillis());
  }

  @Test
  void onlyFleetContainerIdsHaveAnIdentity() {
    assertEquals(true, ReplicaIdentity.parse("my-app-g12-r3").isPresent());
    assertEquals("my-app", ReplicaIdentity.parse("my-app-g12-r3").get().identity().workload());
    assertEquals(false, ReplicaIdentity.parse("some-container").isPresent());
  }
}
