package dev.berth.cli.runc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.runtime.testing.BusyboxBundle;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * bin/berth-runc as other tools call it: a separate process, stdio passed through, exit codes as
 * runc's.
 */
class BerthRuncLauncherIT {
  Path work;
  Path launcher =
      Path.of(System.getProperty("berth.home", "..")).resolve("bin/berth-runc").toAbsolutePath();

  @BeforeEach
  void setUp() throws Exception {
    work = Files.createTempDirectory("berth-launcher-it-");
  }

  @AfterEach
  void tearDown() {
    BusyboxBundle.deleteTree(work);
  }

  private record Outcome(int exit, String out, String err) {}

  private Outcome berthRunc(String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of(launcher.toString(), "--root", work.resolve("state").toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectInput(new File("/dev/null")).start();
    String out = new String(p.getInputStream().readAllBytes());
    String err = new String(p.getErrorStream().readAllBytes());
    return new Outcome(p.waitFor(), out, err);
  }

  @Test
  void runPassesStdioThroughAndExitsWithTheContainersStatus() throws Exception {
    BusyboxBundle b = BusyboxBundle.create(work, "b", "echo hello from $(hostname); exit 3");
    Outcome o = berthRunc("run", "--bundle", b.dir().toString(), "it1");
    assertEquals(3, o.exit(), o.err());
    assertEquals("hello from berth\n", o.out());
    assertEquals("", berthRunc("list", "-q").out(), "run removes the container after it exits");
  }

  @Test
  void anUnknownContainerIsExitOneWithAMessage() throws Exception {
    Outcome o = berthRunc("state", "nope");
    assertEquals(1, o.exit());
    assertTrue(o.err().contains("container \"nope\" does not exist"), o.err());
  }

  @Test
  void asAnOrdinaryUserRunSaysThatRootlessModeIsNotBuiltAndMakesNothing() throws Exception {
    // the work directory is the JVM's 0700 temp dir: opened for the user only for this test
    Files.setPosixFilePermissions(
        work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    BusyboxBundle b = BusyboxBundle.create(work, "b", "echo never");
    Process p =
        new ProcessBuilder(
                "su",
                "nobody",
                "-s",
                "/bin/sh",
                "-c",
                launcher
                    + " --root "
                    + work.resolve("nobody-state")
                    + " run --bundle "
                    + b.dir()
                    + " rl1")
            .redirectInput(new File("/dev/null"))
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    String err = new String(p.getErrorStream().readAllBytes());
    assertEquals(1, p.waitFor(), out + err);
    assertTrue(err.contains("rootless mode") && err.contains("uid 65534"), err);
    assertEquals("", out);
    assertTrue(
        !Files.exists(Path.of("/sys/fs/cgroup/cpu/berth-rl1"))
            && !Files.exists(Path.of("/sys/fs/cgroup/pids/rl1")),
        "no cgroup made");
  }
}
