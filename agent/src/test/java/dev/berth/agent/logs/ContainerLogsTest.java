package dev.berth.agent.logs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Container logs rotate by size, keep a bounded number of files, and read and follow across
 * rotation.
 */
class ContainerLogsTest {
  @TempDir Path bundles;

  private FileOutputStream appender(String id) throws Exception {
    Path f = ContainerLogs.file(bundles.resolve(id), "stdout");
    Files.createDirectories(f.getParent());
    return new FileOutputStream(f.toFile(), true); // O_APPEND, as the container's stdout
  }

  @Test
  void aStreamPastItsLimitIsRotatedAndOnlyTheNewestFilesAreKept() throws Exception {
    ContainerLogs logs = new ContainerLogs(bundles, 100, 2);
    try (FileOutputStream out = appender("c1")) {
      for (int round = 0; round < 5; round++) {
        out.write(
            ("round-" + round + "-" + "x".repeat(120) + "\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        logs.rotateAll();
      }
      out.write("after\n".getBytes(StandardCharsets.US_ASCII));
    }
    Path current = logs.file("c1", "stdout");
    assertEquals(
        "after\n", Files.readString(current), "the writer kept appending to the truncated file");
    assertTrue(Files.exists(ContainerLogs.rotated(current, 2)));
    assertFalse(Files.exists(ContainerLogs.rotated(current, 3)), "only two rotated files are kept");
    String all = new String(logs.read("c1", "stdout", 0), StandardCharsets.US_ASCII);
    assertTrue(
        all.startsWith("round-3-") && all.contains("round-4-") && all.endsWith("after\n"), all);
    assertEquals("after\n", new String(logs.read("c1", "stdout", 1), StandardCharsets.US_ASCII));
  }

  @Test
  void aFollowerLosesNothingWhenTheFileIsRotatedUnderIt() throws Exception {
    ContainerLogs logs = new ContainerLogs(bundles, 10, 3);
    try (FileOutputStream out = appender("c2")) {
      out.write("old\n".getBytes(StandardCharsets.US_ASCII));
      LogFollower follower = new LogFollower(logs.file("c2", "stdout"));
      out.write("one-two-three\n".getBytes(StandardCharsets.US_ASCII));
      logs.rotateAll(); // copied to .1 and truncated before the follower read "one-two-three"
      out.write("four\n".getBytes(StandardCharsets.US_ASCII));
      assertEquals("one-two-three\nfour\n", new String(follower.poll(), StandardCharsets.US_ASCII));
      assertArrayEquals(new byte[0], follower.poll());
      out.write("five\n".getBytes(StandardCharsets.US_ASCII));
      assertEquals("five\n", new String(follower.poll(), StandardCharsets.US_ASCII));
    }
  }

  @Test
  void aFollowerStartedAfterAReadGetsWhatWasWrittenInBetween() throws Exception {
    ContainerLogs logs = new ContainerLogs(bundles, 1000, 2);
    try (FileOutputStream out = appender("c3")) {
      out.write("before\n".getBytes(StandardCharsets.US_ASCII));
      ContainerLogs.Retained retained = logs.retained("c3", "stdout", 0);
      out.write(
          "between\n".getBytes(StandardCharsets.US_ASCII)); // after the read, before the follower
      LogFollower follower = new LogFollower(logs.file("c3", "stdout"), retained.currentFileEnd());
      assertEquals("before\n", new String(retained.bytes(), StandardCharsets.US_ASCII));
      assertEquals("between\n", new String(follower.poll(), StandardCharsets.US_ASCII));
    }
  }

  @Test
  void idsThatAreNotContainerIdsAndUnknownContainersAreRefused() throws Exception {
    ContainerLogs logs = new ContainerLogs(bundles, 100, 2);
    assertThrows(IllegalArgumentException.class, () -> logs.file("../etc", "stdout"));
    assertThrows(IllegalArgumentException.class, () -> logs.file("c1", "passwd"));
    assertThrows(NoSuchFileException.class, () -> logs.file("nobody", "stdout"));
  }
}
