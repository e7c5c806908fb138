package dev.berth.cli.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.agent.images.ImageStore;
import dev.berth.agent.images.build.BuildOptions;
import dev.berth.agent.images.build.ImageBuilder;
import dev.berth.model.image.ImageReference;
import dev.berth.runtime.bundle.BusyboxRootfs;
import dev.berth.runtime.files.FileTrees;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * bin/berth run as a user types it: its own process, a terminal from `script` for -it, exit status
 * and output as podman's.
 */
class LocalRunLauncherIT {
  private static final String IMAGE = "local/run-it:1";
  private static final Path BERTH =
      Path.of(System.getProperty("berth.home", "..")).resolve("bin/berth").toAbsolutePath();
  private static Path work;
  private static List<String> where;

  @BeforeAll
  static void storeAnImage() throws Exception {
    work = Files.createTempDirectory("berth-run-it-");
    new ImageBuilder(new ImageStore(work.resolve("images")))
        .build(
            BusyboxRootfs.create(work.resolve("rootfs")),
            BuildOptions.of(List.of("sh")),
            ImageReference.parse(IMAGE));
    where =
        List.of(
            "--root", work.resolve("local").toString(),
            "--runroot", work.resolve("run").toString(),
            "--store", work.resolve("images").toString());
  }

  @AfterAll
  static void removeEverything() throws Exception {
    FileTrees.delete(work);
  }

  private record Outcome(int exit, String out) {}

  /**
   * Runs {@code command} (a shell line) under `script`, which gives it a pty as stdin and stdout.
   */
  private static Outcome inTerminal(String command, String typed) throws Exception {
    Process p =
        new ProcessBuilder("script", "-qec", command, "/dev/null")
            .redirectErrorStream(true)
            .start();
    p.getOutputStream().write(typed.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().flush();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "still running: " + out);
    return new Outcome(p.exitValue(), out);
  }

  @Test
  void runWithATerminalGivesTheContainerAPtyAndItsKeystrokes() throws Exception {
    String run =
        BERTH
            + " run --rm -it --network none "
            + String.join(" ", where)
            + " "
            + IMAGE
            + " sh -c 'tty; read answer; echo got-$answer; exit 5'";
    Outcome o = inTerminal(run, "forty-two\r");
    assertEquals(5, o.exit(), o.out());
    assertTrue(o.out().contains("/dev/pts/"), "its stdin is a terminal: " + o.out());
    assertTrue(o.out().contains("got-forty-two"), "keystrokes reached it: " + o.out());
    assertEquals(List.of(), list(work.resolve("local/containers")), "--rm removed it");
  }

  @Test
  void execWithATerminalGivesTheCommandAPtyInTheRunningContainer() throws Exception {
    List<String> run =
        new ArrayList<>(
            List.of(BERTH.toString(), "run", "-d", "--name", "tty-exec", "--network", "none"));
    run.addAll(where);
    run.addAll(List.of(IMAGE, "sleep", "60"));
    Process p = new ProcessBuilder(run).redirectInput(new File("/dev/null")).start();
    p.getInputStream().readAllBytes();
    assertEquals(0, p.waitFor());
    try {
      Outcome o =
          inTerminal(
              BERTH
                  + " exec -it "
                  + String.join(" ", where)
                  + " tty-exec sh -c 'tty; read a; echo got-$a; exit 6'",
              "seven\r");
      assertEquals(6, o.exit(), o.out());
      assertTrue(o.out().contains("/dev/pts/"), o.out());
      assertTrue(o.out().contains("got-seven"), o.out());
    } finally {
      List<String> rm = new ArrayList<>(List.of(BERTH.toString(), "rm", "-f"));
      rm.addAll(where);
      rm.add("tty-exec");
      new ProcessBuilder(rm).inheritIO().start().waitFor();
    }
  }

  @Test
  void aForegroundRunFromTheCommandLineExitsWithTheContainersStatus() throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of(BERTH.toString(), "run", "--rm", "--network", "none"));
    cmd.addAll(where);
    cmd.addAll(List.of(IMAGE, "sh", "-c", "echo out; echo err >&2; exit 7"));
    Process p = new ProcessBuilder(cmd).redirectInput(new File("/dev/null")).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(7, p.waitFor(), err);
    assertEquals("out\n", out);
    assertEquals("err\n", err);
  }

  private static List<Path> list(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (var s = Files.list(dir)) {
      return s.toList();
    }
  }
}
