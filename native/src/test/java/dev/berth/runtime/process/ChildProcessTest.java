package dev.berth.runtime.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.runtime.libc.NativeException;
import java.io.File;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Children started by posix_spawn and reaped by one thread: their exit codes arrive, their stdio
 * goes where it was told, they inherit no descriptor of the JVM's, and a hundred of them running
 * cost no thread each.
 */
class ChildProcessTest {
  private static final Redirect NULL_IN = Redirect.from(new File("/dev/null"));

  private static ChildProcess sh(String script, Redirect out) {
    return ProcessSpawner.spawn(List.of("/bin/sh", "-c", script), NULL_IN, out, Redirect.INHERIT);
  }

  @Test
  void exitCodesAndDeathsBySignalArrive() throws Exception {
    assertEquals(7, sh("exit 7", Redirect.DISCARD).onExit().get(10, TimeUnit.SECONDS));
    ChildProcess sleeper = sh("sleep 60", Redirect.DISCARD);
    assertTrue(sleeper.isAlive());
    sleeper.kill();
    assertEquals(137, sleeper.onExit().get(10, TimeUnit.SECONDS));
    assertFalse(sleeper.signal(15), "a reaped child is signalled no more");
  }

  @Test
  void stdioGoesWhereItIsToldAndNoOtherDescriptorIsInherited(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    try (var held = Files.newOutputStream(dir.resolve("held"))) {
      sh("echo first; ls /proc/self/fd", Redirect.to(out.toFile()))
          .onExit()
          .get(10, TimeUnit.SECONDS);
    }
    List<String> lines = Files.readAllLines(out);
    assertEquals("first", lines.get(0));
    // 0, 1, 2 and the descriptor ls opened for the listing; never the JVM's files or sockets
    assertTrue(lines.size() <= 5, "inherited descriptors: " + lines);
    sh("echo second", Redirect.appendTo(out.toFile())).onExit().get(10, TimeUnit.SECONDS);
    assertEquals("second", Files.readAllLines(out).get(lines.size()));
  }

  @Test
  void aMissingProgramIsAnErrorNamingIt() {
    NativeException e =
        assertThrows(
            NativeException.class,
            () ->
                ProcessSpawner.spawn(
                    List.of("/nonexistent/berth-init"),
                    NULL_IN,
                    Redirect.DISCARD,
                    Redirect.DISCARD));
    assertTrue(
        e.getMessage().contains("/nonexistent/berth-init") && e.getMessage().contains("ENOENT"),
        e.getMessage());
  }

  /** The JDK's reaper threads (other tests' ProcessBuilders leave idle ones for a minute). */
  private static long jdkReapers() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("process reaper"))
        .count();
  }

  @Test
  void aHundredRunningChildrenCostNoThreadEach() throws Exception {
    int before = Thread.activeCount();
    long reapersBefore = jdkReapers();
    List<ChildProcess> children = new ArrayList<>();
    try {
      for (int i = 0; i < 100; i++) {
        children.add(sh("sleep 60", Redirect.DISCARD));
      }
      assertTrue(ChildReaper.watched() >= 100);
      assertTrue(
          Thread.activeCount() - before < 5,
          "threads grew from " + before + " to " + Thread.activeCount());
      assertTrue(jdkReapers() <= reapersBefore, "no JDK process reaper thread more");
    } finally {
      children.forEach(ChildProcess::kill);
      for (ChildProcess c : children) {
        assertEquals(137, c.onExit().get(10, TimeUnit.SECONDS));
      }
    }
  }
}
