package dev.berth.agent.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.berth.runtime.files.FileTrees;
import dev.berth.runtime.userns.IdRange;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each container's user namespace range is its own, survives an agent restart and is reused. */
class IdRangeAllocatorTest {
  Path bundles;
  Path claims;

  @BeforeEach
  void setUp() throws Exception {
    bundles = Files.createTempDirectory("berth-ranges-");
    claims = bundles.resolve("claims");
    for (String id : new String[] {"a", "b", "c"}) {
      Files.createDirectories(bundles.resolve(id));
    }
  }

  @AfterEach
  void tearDown() throws Exception {
    FileTrees.delete(bundles);
  }

  @Test
  void containersGetDisjointRangesAboveHostUsersThatARestartedAgentFindsAgain() throws Exception {
    IdRangeAllocator ranges = new IdRangeAllocator(bundles, claims);
    IdRange a = ranges.rangeFor("a");
    IdRange b = ranges.rangeFor("b");
    assertEquals(new IdRange(1L << 20, 65536), a);
    assertEquals(new IdRange((1L << 20) + 65536, 65536), b);
    assertEquals(a, ranges.rangeFor("a"), "asked again: the same");
    // a new agent process: what the bundles record is taken, not handed out again
    IdRangeAllocator restarted = new IdRangeAllocator(bundles, claims);
    assertEquals(b, restarted.rangeFor("b"));
    IdRange c = restarted.rangeFor("c");
    assertNotEquals(a, c);
    assertNotEquals(b, c);
    // a removed container's range is free again
    FileTrees.delete(bundles.resolve("a"));
    restarted.release("a");
    Files.createDirectories(bundles.resolve("d"));
    assertEquals(a, restarted.rangeFor("d"));
  }

  @Test
  void twoAgentsOnOneMachineNeverShareARangeAndAGoneAgentsClaimsAreTakenOver() throws Exception {
    Path other = Files.createDirectories(bundles.resolve("other-agent"));
    Files.createDirectories(other.resolve("x"));
    Files.createDirectories(other.resolve("y"));
    IdRangeAllocator mine = new IdRangeAllocator(bundles, claims);
    IdRangeAllocator theirs = new IdRangeAllocator(other, claims);
    IdRange a = mine.rangeFor("a");
    IdRange x = theirs.rangeFor("x");
    IdRange b = mine.rangeFor("b");
    assertNotEquals(a, x);
    assertNotEquals(b, x);
    assertNotEquals(a, b);
    // the other agent's state deleted without removing its containers: its claims are stale
    FileTrees.delete(other.resolve("x"));
    assertEquals(x, mine.rangeFor("c"), "the lowest range whose claimant is gone");
  }
}
