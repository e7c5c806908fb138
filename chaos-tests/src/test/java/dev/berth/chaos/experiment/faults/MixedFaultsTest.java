package dev.berth.chaos.experiment.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.chaos.experiment.Experiments;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The random experiment's schedule: reproducible from its seed, mixed, overlapping, bounded. */
class MixedFaultsTest {
  @Test
  void theSameSeedGivesTheSameScheduleAndAnotherSeedAnother() {
    assertEquals(MixedFaults.plan(7, 60_000, 3000), MixedFaults.plan(7, 60_000, 3000));
    assertNotEquals(MixedFaults.plan(7, 60_000, 3000), MixedFaults.plan(8, 60_000, 3000));
  }

  @Test
  void faultsOfSeveralKindsOverlapAndStayWithinTheDuration() {
    List<MixedFaults.Step> plan = MixedFaults.plan(7, 60_000, 3000);
    Set<String> kinds = new HashSet<>();
    int overlapping = 0;
    for (int i = 0; i < plan.size(); i++) {
      MixedFaults.Step s = plan.get(i);
      kinds.add(s.kind());
      assertTrue(Experiments.NAMES.contains(s.kind()), s.kind());
      assertTrue(s.atMillis() + s.durationMillis() <= 60_000, "within the minute: " + s);
      if (i > 0) {
        MixedFaults.Step before = plan.get(i - 1);
        assertTrue(s.atMillis() > before.atMillis(), "in order: " + plan);
        if (s.atMillis() < before.atMillis() + before.durationMillis()) {
          overlapping++;
        }
      }
    }
    assertTrue(kinds.size() >= 4, "mixed: " + kinds);
    assertTrue(overlapping >= plan.size() / 2, "overlapping: " + plan);
  }
}
