package dev.berth.cli.runc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.berth.model.JsonMapping;
import dev.berth.runtime.testing.BusyboxBundle;
import dev.berth.testing.InProcessCli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The runc command line: commands, exit codes, state JSON and error messages as runc's users expect
 * them.
 */
class RuncCommandLineTest {
  Path work;
  String root;
  int counter;

  @BeforeEach
  void setUp() throws Exception {
    work = Files.createTempDirectory("berth-cli-test-");
    root = work.resolve("state").toString();
  }

  @AfterEach
  void tearDown() {
    for (String id :
        InProcessCli.run(RuncMain::execute, "--root", root, "list", "-q").out().split("\n")) {
      if (!id.isBlank()) {
        InProcessCli.run(RuncMain::execute, "--root", root, "delete", "--force", id);
      }
    }
    BusyboxBundle.deleteTree(work);
  }

  private BusyboxBundle bundle(String script) {
    return BusyboxBundle.create(work, "b" + (++counter), script);
  }

  private InProcessCli.Output runc(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--root";
    all[1] = root;
    System.arraycopy(args, 0, all, 2, args.length);
    return InProcessCli.run(RuncMain::execute, all);
  }

  @Test
  void createStartStateAndDeleteFollowTheLifecycle() throws Exception {
    BusyboxBundle b = bundle("sleep 30");
    Path pidFile = work.resolve("pid");
    assertEquals(
        0,
        runc("create", "--bundle", b.dir().toString(), "--pid-file", pidFile.toString(), "c1")
            .exit());
    JsonNode created = JsonMapping.mapper().readTree(runc("state", "c1").out());
    assertEquals("created", created.get("status").asText());
    assertEquals(Files.readString(pidFile), created.get("pid").asText());
    assertEquals(b.dir().toString(), created.get("bundle").asText());
    assertEquals("1.2.0", created.get("ociVersion").asText());
    assertTrue(created.has("created") && created.has("rootfs"), created.toString());

    assertEquals(0, runc("start", "c1").exit());
    assertEquals(
        "running", JsonMapping.mapper().readTree(runc("state", "c1").out()).get("status").asText());
    JsonNode list = JsonMapping.mapper().readTree(runc("list", "--format", "json").out());
    assertEquals("c1", list.get(0).get("id").asText());
    assertEquals(
        1, JsonMapping.mapper().readTree(runc("ps", "--format", "json", "c1").out()).size());

    InProcessCli.Output refused = runc("delete", "c1");
    assertEquals(1, refused.exit());
    assertTrue(refused.err().contains("not stopped: running"), refused.err());
    assertEquals(0, runc("kill", "c1", "SIGKILL").exit());
    for (int i = 0; i < 200 && !runc("state", "c1").out().contains("\"stopped\""); i++) {
      Thread.sleep(10);
    }
    assertEquals(0, runc("delete", "c1").exit());
    InProcessCli.Output gone = runc("state", "c1");
    assertEquals(1, gone.exit());
    assertTrue(gone.err().contains("container \"c1\" does not exist"), gone.err());
    assertEquals(
        0, runc("delete", "--force", "c1").exit(), "--force ignores a container that is gone");
  }

  @Test
  void pauseResumeAndEventsStats() throws Exception {
    BusyboxBundle b = bundle("sleep 30");
    runc("run", "-d", "--bundle", b.dir().toString(), "c2");
    assertEquals(0, runc("pause", "c2").exit());
    assertTrue(runc("state", "c2").out().contains("\"paused\""));
    assertEquals(1, runc("start", "c2").exit());
    assertEquals(0, runc("resume", "c2").exit());
    JsonNode event = JsonMapping.mapper().readTree(runc("events", "--stats", "c2").out());
    assertEquals("stats", event.get("type").asText());
    assertTrue(event.get("data").get("pids").get("current").asInt() >= 1, event.toString());
    assertEquals(0, runc("delete", "-f", "c2").exit());
  }

  @Test
  void killAcceptsSignalNamesAndNumbersAndRefusesUnknownOnes() {
    BusyboxBundle b = bundle("sleep 30");
    runc("run", "-d", "--bundle", b.dir().toString(), "c3");
    InProcessCli.Output bad = runc("kill", "c3", "SIGBOGUS");
    assertEquals(1, bad.exit());
    assertTrue(bad.err().contains("unknown signal \"SIGBOGUS\""), bad.err());
    assertEquals(0, runc("kill", "--all", "c3", "9").exit());
  }

  @Test
  void execRunsInTheContainerAndReturnsItsExitCode() {
    BusyboxBundle b = bundle("sleep 30");
    runc("run", "-d", "--bundle", b.dir().toString(), "c4");
    assertEquals(5, runc("exec", "c4", "sh", "-c", "exit 5").exit());
  }

  @Test
  void specWritesTheDefaultConfigOnceAndFeaturesDescribeTheRuntime() throws Exception {
    Path dir = Files.createDirectories(work.resolve("newbundle"));
    assertEquals(0, runc("spec", "--bundle", dir.toString()).exit());
    JsonNode spec = JsonMapping.mapper().readTree(dir.resolve("config.json").toFile());
    assertEquals("sh", spec.get("process").get("args").get(0).asText());
    InProcessCli.Output again = runc("spec", "--bundle", dir.toString());
    assertEquals(1, again.exit());
    assertTrue(again.err().contains("exists. Remove it first"), again.err());
    JsonNode features =
        JsonMapping.mapper().readTree(InProcessCli.run(RuncMain::execute, "features").out());
    assertEquals("1.2.0", features.get("ociVersionMax").asText());
    assertTrue(features.get("linux").get("namespaces").toString().contains("user"));
  }

  @Test
  void badInputFailsWithExitOneAClearMessageAndNothingLeft() throws Exception {
    BusyboxBundle broken = bundle("true");
    Files.writeString(broken.dir().resolve("config.json"), "{ not json");
    expectFailure(broken, "invalid JSON");

    BusyboxBundle noRootfs = bundle("true");
    BusyboxBundle.deleteTree(noRootfs.rootfs());
    expectFailure(noRootfs, "does not exist");

    expectFailure(
        bundle("true")
            .edit(
                c -> ((ArrayNode) c.get("linux").get("namespaces")).addObject().put("type", "foo")),
        "unknown namespace type \"foo\"");
    expectFailure(
        bundle("true")
            .edit(
                c ->
                    ((ArrayNode) c.get("mounts"))
                        .addObject()
                        .put("destination", "rel")
                        .put("type", "tmpfs")),
        "must be an absolute path");
    BusyboxBundle escape = bundle("true");
    Files.createSymbolicLink(escape.rootfs().resolve("out"), Path.of("../../../../../.."));
    expectFailure(
        escape.edit(
            c ->
                ((ArrayNode) c.get("mounts"))
                    .addObject()
                    .put("destination", "/out/tmp")
                    .put("type", "tmpfs")),
        "leads out of the rootfs");

    BusyboxBundle ok = bundle("sleep 30");
    assertEquals(0, runc("create", "--bundle", ok.dir().toString(), "taken").exit());
    InProcessCli.Output dup = runc("create", "--bundle", ok.dir().toString(), "taken");
    assertEquals(1, dup.exit());
    assertTrue(dup.err().contains("already exists"), dup.err());
    assertEquals(
        "created",
        JsonMapping.mapper().readTree(runc("state", "taken").out()).get("status").asText());
  }

  private void expectFailure(BusyboxBundle b, String message) {
    InProcessCli.Output r = runc("create", "--bundle", b.dir().toString(), "bad");
    assertEquals(1, r.exit(), r.err());
    assertTrue(r.err().contains(message), r.err());
    assertFalse(Files.exists(Path.of(root, "bad")), "state left behind");
    assertFalse(Files.exists(Path.of("/sys/fs/cgroup/memory/berth-bad")), "cgroup left behind");
  }

  @Test
  void errorsAreAlsoLoggedAsJsonWhenAsked() throws Exception {
    Path log = work.resolve("log.json");
    InProcessCli.Output r =
        InProcessCli.run(
            RuncMain::execute,
            "--root",
            root,
            "--log",
            log.toString(),
            "--log-format",
            "json",
            "state",
            "ghost");
    assertEquals(1, r.exit());
    JsonNode line = JsonMapping.mapper().readTree(Files.readString(log));
    assertEquals("error", line.get("level").asText());
    assertEquals("container \"ghost\" does not exist", line.get("msg").asText());
  }

  @Test
  void systemdCgroupsAreRefusedClearly() {
    InProcessCli.Output r =
        InProcessCli.run(RuncMain::execute, "--root", root, "--systemd-cgroup", "list");
    assertEquals(1, r.exit());
    assertTrue(r.err().contains("--systemd-cgroup is not supported"), r.err());
  }

  @Test
  void aConsoleSocketReceivesThePtyMasterAndTheProgramRunsOnTheTerminal() throws Exception {
    BusyboxBundle b =
        bundle("tty; stty size; echo done")
            .edit(
                c -> {
                  c.with("process").put("terminal", true);
                  c.with("process").putObject("consoleSize").put("height", 30).put("width", 100);
                });
    Path sock = work.resolve("console.sock");
    try (ConsoleReceiver receiver = new ConsoleReceiver(sock)) {
      Thread creator =
          new Thread(
              () ->
                  runc(
                      "create",
                      "--bundle",
                      b.dir().toString(),
                      "--console-socket",
                      sock.toString(),
                      "tty1"));
      creator.start();
      assertTrue(receiver.awaitFd(), "no pty master received");
      creator.join(10_000);
      assertEquals(0, runc("start", "tty1").exit());
      String out = receiver.readUntil("done");
      assertTrue(out.contains("/dev/pts/0"), out);
      assertTrue(out.contains("30 100"), out);
    }
  }

  @Test
  void execWithATerminalReachesAConsoleSocketPastTheSocketPathLimit() throws Exception {
    BusyboxBundle b = bundle("sleep 600");
    assertEquals(0, runc("run", "-d", "--bundle", b.dir().toString(), "ttyx").exit());
    // the caller's socket under a directory whose path alone passes sun_path's 108 bytes
    Path dir = Files.createDirectories(work.resolve("console-" + "d".repeat(100)));
    int fd = dev.berth.runtime.libc.Native.openDirectoryPath(dir.toString());
    try (ConsoleReceiver receiver =
        new ConsoleReceiver(Path.of("/proc/self/fd/" + fd + "/pty.sock"))) {
      InProcessCli.Output[] exec = new InProcessCli.Output[1];
      Thread caller =
          new Thread(
              () ->
                  exec[0] =
                      runc(
                          "exec",
                          "--tty",
                          "--console-socket",
                          dir.resolve("pty.sock").toString(),
                          "ttyx",
                          "sh",
                          "-c",
                          "tty; echo done"));
      caller.start();
      assertTrue(receiver.awaitFd(), "no pty master received");
      String out = receiver.readUntil("done");
      caller.join(10_000);
      assertTrue(out.contains("/dev/pts/"), out);
      assertEquals(0, exec[0].exit(), exec[0].err());
    } finally {
      dev.berth.runtime.libc.Native.close(fd);
      runc("delete", "-f", "ttyx");
    }
  }

  @Test
  void updateChangesARunningContainersLimitsFromFlagsAndAResourcesFile() throws Exception {
    BusyboxBundle b = bundle("sleep 600");
    assertEquals(0, runc("run", "-d", "--bundle", b.dir().toString(), "upd").exit());
    try {
      assertEquals(0, runc("update", "--memory", "64m", "--pids-limit", "33", "upd").exit());
      assertEquals(
          "67108864",
          Files.readString(Path.of("/sys/fs/cgroup/memory/berth-upd/memory.limit_in_bytes"))
              .trim());
      assertEquals(
          "33", Files.readString(Path.of("/sys/fs/cgroup/pids/berth-upd/pids.max")).trim());
      Path file =
          Files.writeString(
              work.resolve("res.json"), "{\"cpu\":{\"quota\":50000,\"period\":100000}}");
      assertEquals(0, runc("update", "--resources", file.toString(), "upd").exit());
      assertEquals(
          "50000",
          Files.readString(Path.of("/sys/fs/cgroup/cpu/berth-upd/cpu.cfs_quota_us")).trim());
      InProcessCli.Output bad = runc("update", "--memory", "lots", "upd");
      assertEquals(1, bad.exit());
      assertTrue(bad.err().contains("--memory: \"lots\" is not a size"), bad.err());
      assertEquals(
          "67108864",
          Files.readString(Path.of("/sys/fs/cgroup/memory/berth-upd/memory.limit_in_bytes")).trim(),
          "a refused update changes nothing");
    } finally {
      runc("delete", "-f", "upd");
    }
    InProcessCli.Output gone = runc("update", "--memory", "64m", "upd");
    assertEquals(1, gone.exit());
  }

  @Test
  void theHotCommandsTakeRuncsFlagFormsAndAnythingElseStillGetsPicocliErrors() throws Exception {
    // create, start, state, kill and delete are parsed by hand (RuncFastPath): each flag form runc
    // accepts, the same results as through picocli.
    BusyboxBundle b = bundle("trap 'exit 0' TERM; sleep 30 & wait");
    Path pidFile = work.resolve("fast.pid");
    Path log = work.resolve("runc.log");
    InProcessCli.Output created =
        InProcessCli.run(
            RuncMain::execute,
            "--root=" + root,
            "--log",
            log.toString(),
            "--log-format=json",
            "--debug",
            "create",
            "--bundle=" + b.dir(),
            "--pid-file",
            pidFile.toString(),
            "--no-new-keyring",
            "f1");
    assertEquals(0, created.exit(), created.err());
    assertTrue(Files.readString(pidFile).matches("\\d+"), "pid file written");
    assertEquals(0, runc("start", "f1").exit());
    assertEquals(0, runc("kill", "--all", "f1", "TERM").exit());
    assertEquals(0, runc("delete", "--force", "f1").exit());
    assertEquals(0, runc("delete", "-f", "f1").exit(), "--force: a container already gone is fine");
    InProcessCli.Output missing =
        InProcessCli.run(
            RuncMain::execute,
            "--root",
            root,
            "--log",
            log.toString(),
            "--log-format",
            "json",
            "state",
            "f1");
    assertEquals(1, missing.exit());
    assertTrue(missing.err().contains("container \"f1\" does not exist"), missing.err());
    JsonNode line = JsonMapping.mapper().readTree(Files.readAllLines(log).get(0));
    assertEquals("error", line.get("level").asText());
    assertTrue(line.get("msg").asText().contains("does not exist"), line.toString());
    // not plain: picocli's usage errors, exit 2, as before
    assertEquals(2, runc("kill").exit());
    assertEquals(2, runc("state", "a", "b").exit());
    assertEquals(2, runc("delete", "--frobnicate", "x").exit());
    assertEquals(1, runc("kill", "f1", "SIGNOPE").exit());
    assertEquals(1, runc("--systemd-cgroup", "state", "x").exit());
  }
}
