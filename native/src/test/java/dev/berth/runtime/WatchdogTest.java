package dev.berth.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.runtime.testing.RuntimeTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The monitor's watchdog: a container runs while the deadline in its file is ahead, and is killed
 * once it has passed or the file is gone, with nothing from the runtime's caller.
 */
class WatchdogTest extends RuntimeTestSupport {
  private static long monotonicMillis() {
    return System.nanoTime() / 1_000_000; // CLOCK_MONOTONIC on Linux, as berth-init reads it
  }

  private String watched(Path deadline) throws Exception {
    String id = newId("watch");
    runtime.create(
        id, bundle("sleep 600").dir(), CreateOptions.monitored(capture(id)).withWatchdog(deadline));
    runtime.start(id);
    return id;
  }

  private static void deadlineIn(Path file, long millis) throws Exception {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, Long.toString(monotonicMillis() + millis));
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  void aContainerRunsWhileItsDeadlineIsRenewedAndIsKilledOnceItPasses() throws Exception {
    Path deadline = work.resolve("deadline");
    deadlineIn(deadline, 1000);
    String id = watched(deadline);
    long until = System.currentTimeMillis() + 2500;
    while (System.currentTimeMillis() < until) { // renewed for longer than the first deadline
      deadlineIn(deadline, 1000);
      assertEquals("running", runtime.state(id).status());
      Thread.sleep(200);
    }
    long stoppedRenewing = monotonicMillis();
    Optional<Integer> exit = runtime.recordedExit(id, 5000);
    long killedAfter = monotonicMillis() - stoppedRenewing;
    assertEquals(Optional.of(137), exit, "killed by SIGKILL");
    assertTrue(killedAfter >= 800 && killedAfter < 2000, "killed " + killedAfter + " ms after");
    assertEquals("stopped", runtime.state(id).status());
    runtime.delete(id, true);
  }

  @Test
  void aContainerWhoseDeadlineFileIsGoneIsKilled() throws Exception {
    Path deadline = work.resolve("gone");
    deadlineIn(deadline, 60_000);
    String id = watched(deadline);
    Thread.sleep(300);
    assertEquals("running", runtime.state(id).status());
    Files.delete(deadline);
    assertEquals(Optional.of(137), runtime.recordedExit(id, 3000));
    runtime.delete(id, true);
  }

  @Test
  void aContainerWhoseDeadlineHasPassedIsNotCreated() throws Exception {
    Path deadline = work.resolve("past");
    Files.writeString(deadline, Long.toString(monotonicMillis() - 1));
    String id = newId("watch");
    ContainerException e =
        assertThrows(
            ContainerException.class,
            () ->
                runtime.create(
                    id,
                    bundle("echo ran; sleep 600").dir(),
                    CreateOptions.monitored(capture(id)).withWatchdog(deadline)));
    assertTrue(e.getMessage().contains(deadline.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("ETIME"), e.getMessage());
    assertEquals(java.util.List.of(), runtime.list());
    assertFalse(Files.exists(Path.of("/sys/fs/cgroup/pids/berth-" + id)), "no cgroup left");
  }
}
