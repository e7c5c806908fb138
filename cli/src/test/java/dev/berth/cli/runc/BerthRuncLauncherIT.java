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

  /** `su nobody -c "berth-runc ..."`: the launcher as an ordinary user. */
  private Outcome asNobody(String args) throws Exception {
    Process p =
        new ProcessBuilder(
                "su",
                "nobody",
                "-s",
                "/bin/sh",
                "-c",
                launcher + " --root " + work.resolve("nobody-state") + " " + args)
            .redirectInput(new File("/dev/null"))
            // files, not pipes: a created container keeps the caller's stdio open (as runc's)
            .redirectOutput(work.resolve("nobody.out").toFile())
            .redirectError(work.resolve("nobody.err").toFile())
            .start();
    int exit = p.waitFor();
    return new Outcome(
        exit,
        Files.readString(work.resolve("nobody.out")),
        Files.readString(work.resolve("nobody.err")));
  }

  /** The busybox bundle as `runc spec --rootless` shapes a config, for uid and gid 65534. */
  private BusyboxBundle rootless(String script) throws Exception {
    // the work directory is the JVM's 0700 temp dir: opened for the user only for this test
    Files.setPosixFilePermissions(
        work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    return BusyboxBundle.create(work, "rl", script)
        .edit(
            c -> {
              com.fasterxml.jackson.databind.node.ObjectNode linux =
                  (com.fasterxml.jackson.databind.node.ObjectNode) c.get("linux");
              ((com.fasterxml.jackson.databind.node.ArrayNode) linux.get("namespaces"))
                  .addObject()
                  .put("type", "user");
              for (String field : List.of("uidMappings", "gidMappings")) {
                linux
                    .putArray(field)
                    .addObject()
                    .put("containerID", 0)
                    .put("hostID", 65534)
                    .put("size", 1);
              }
              linux.remove("resources");
              com.fasterxml.jackson.databind.node.ArrayNode mounts =
                  (com.fasterxml.jackson.databind.node.ArrayNode) c.get("mounts");
              for (com.fasterxml.jackson.databind.JsonNode m : mounts) {
                com.fasterxml.jackson.databind.node.ObjectNode o =
                    (com.fasterxml.jackson.databind.node.ObjectNode) m;
                if ("sysfs".equals(o.path("type").asText())) {
                  o.put("type", "none").put("source", "/sys");
                  o.putArray("options")
                      .add("rbind")
                      .add("nosuid")
                      .add("noexec")
                      .add("nodev")
                      .add("ro");
                }
                if ("devpts".equals(o.path("type").asText())) {
                  com.fasterxml.jackson.databind.node.ArrayNode kept = o.putArray("options");
                  kept.add("nosuid")
                      .add("noexec")
                      .add("newinstance")
                      .add("ptmxmode=0666")
                      .add("mode=0620");
                }
              }
            });
  }

  @Test
  void anOrdinaryUserRunsARootlessContainerAsRootInsideItsOwnUserNamespace() throws Exception {
    BusyboxBundle b = rootless("echo uid=$(id -u); cat /proc/self/uid_map; echo $$; exit 4");
    Outcome o = asNobody("run --bundle " + b.dir() + " rl1");
    assertEquals(4, o.exit(), o.out() + o.err());
    assertTrue(o.out().contains("uid=0"), o.out());
    assertTrue(
        o.out().replaceAll("[ \t]+", " ").contains(" 0 65534 1"),
        "root is nobody outside: " + o.out());
    assertTrue(o.out().contains("\n1\n"), "pid 1 of its own pid namespace: " + o.out());
    assertEquals("", asNobody("list -q").out(), "run removed it");
    assertTrue(!Files.exists(Path.of("/sys/fs/cgroup/pids/rl1")), "no cgroup made");
  }

  @Test
  void aRootlessContainerTakesExecsKillAndDeleteWithoutACgroup() throws Exception {
    BusyboxBundle b = rootless("exec sleep 600");
    assertEquals(0, asNobody("create --bundle " + b.dir() + " rl4").exit());
    try {
      assertEquals(0, asNobody("start rl4").exit());
      Outcome e = asNobody("exec rl4 sh -c 'echo uid=$(id -u) pid1=$(cat /proc/1/comm)'");
      assertEquals(0, e.exit(), e.err());
      assertEquals("uid=0 pid1=sleep\n", e.out(), "in its user and pid namespaces");
      assertEquals(0, asNobody("kill rl4 KILL").exit());
      String status = "";
      for (int i = 0; i < 100 && !status.contains("stopped"); i++) {
        Thread.sleep(50);
        status = asNobody("state rl4").out();
      }
      assertTrue(status.contains("\"stopped\""), status);
    } finally {
      asNobody("delete --force rl4");
    }
    assertEquals("", asNobody("list -q").out());
  }

  @Test
  void aRootlessContainerThatAsksForLimitsWithoutADelegatedCgroupIsRefusedClearly()
      throws Exception {
    BusyboxBundle b =
        rootless("echo never")
            .edit(
                c ->
                    ((com.fasterxml.jackson.databind.node.ObjectNode) c.get("linux"))
                        .putObject("resources")
                        .putObject("pids")
                        .put("limit", 10));
    Outcome o = asNobody("run --bundle " + b.dir() + " rl2");
    assertEquals(1, o.exit(), o.out() + o.err());
    assertTrue(o.err().contains("may not create cgroups here"), o.err());
    assertEquals("", o.out());
    assertEquals("", asNobody("list -q").out(), "nothing left");
  }

  @Test
  void aRootlessRunWithoutAUserNamespaceIsRefusedSayingWhatItNeeds() throws Exception {
    Files.setPosixFilePermissions(
        work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    BusyboxBundle b = BusyboxBundle.create(work, "plain", "echo never");
    Outcome o = asNobody("run --bundle " + b.dir() + " rl3");
    assertEquals(1, o.exit(), o.out() + o.err());
    assertTrue(
        o.err().contains("needs a user namespace of its own") && o.err().contains("uid 65534"),
        o.err());
  }
}
