package dev.berth.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.JsonMapping;
import dev.berth.model.runtime.ContainerProcess;
import dev.berth.runtime.init.Stdio;
import dev.berth.runtime.testing.RuntimeTestSupport;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * create, start, state, kill, delete, pause, resume, exec and hooks with the runtime-spec's
 * semantics.
 */
class LifecycleTest extends RuntimeTestSupport {
  private String started(String script) throws Exception {
    String id = newId("life");
    runtime.create(id, bundle(script).dir(), CreateOptions.monitored(capture(id)));
    runtime.start(id);
    return id;
  }

  private void awaitOutput(String id, String text) throws InterruptedException {
    for (int i = 0; i < 500 && !stdoutOf(id).contains(text); i++) {
      Thread.sleep(10);
    }
    assertTrue(stdoutOf(id).contains(text), "container " + id + " never printed " + text);
  }

  /** Fields 5 and 6 of /proc/PID/stat: process group and session. */
  private static long[] groupAndSession(long pid) throws Exception {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return new long[] {Long.parseLong(f[2]), Long.parseLong(f[3])};
  }

  @Test
  void aTerminalsCtrlCCannotReachTheMonitorOrTheContainer() throws Exception {
    String id = started("sleep 600");
    long pid = runtime.state(id).pid();
    long monitor = ProcessHandle.of(pid).flatMap(ProcessHandle::parent).orElseThrow().pid();
    long[] ours = groupAndSession(ProcessHandle.current().pid());
    // A terminal sends SIGINT to its foreground process group, and a hang-up to its session.
    for (long p : new long[] {monitor, pid}) {
      long[] theirs = groupAndSession(p);
      assertTrue(
          theirs[0] != ours[0] && theirs[1] != ours[1],
          p
              + " is in group "
              + theirs[0]
              + ", session "
              + theirs[1]
              + "; the runtime's: "
              + ours[0]
              + ", "
              + ours[1]);
    }
    runtime.delete(id, true);
  }

  @Test
  void runningContainersCostNoThreadEachAndTheirExitCodesStillArrive() throws Exception {
    int before = Thread.activeCount();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      ids.add(started("sleep 60"));
    }
    assertTrue(
        Thread.activeCount() - before < 5,
        "20 monitors took threads: " + before + " before, " + Thread.activeCount() + " after");
    for (String id : ids) {
      runtime.kill(id, 9, false);
      assertEquals(137, runtime.exitCode(id).get(10, java.util.concurrent.TimeUnit.SECONDS));
      runtime.delete(id, false);
    }
  }

  @Test
  void theUserProgramsExitCodeIsReported() throws Exception {
    assertEquals(42, run(bundle("exit 42")).exitCode());
  }

  @Test
  void stateGoesCreatedThenRunningThenStopped() throws Exception {
    String id = newId("states");
    Path marker = work.resolve("go");
    var b =
        bundle("while [ ! -e /data/go ]; do sleep 0.05; done")
            .edit(
                c ->
                    ((ArrayNode) c.get("mounts"))
                        .addObject()
                        .put("destination", "/data")
                        .put("type", "bind")
                        .put("source", work.toString())
                        .putArray("options")
                        .add("rbind"));
    runtime.create(id, b.dir(), CreateOptions.monitored(capture(id)));
    assertEquals("created", runtime.state(id).status());
    assertTrue(runtime.state(id).pid() > 0);
    runtime.start(id);
    assertEquals("running", runtime.state(id).status());
    Files.writeString(marker, "");
    assertEquals(0, runtime.exitCode(id).get(10, TimeUnit.SECONDS));
    assertEquals("stopped", runtime.state(id).status());
    runtime.delete(id, false);
    assertThrows(ContainerNotFoundException.class, () -> runtime.state(id));
  }

  @Test
  void theUserProgramDoesNotRunBeforeStart() throws Exception {
    String id = newId("nostart");
    runtime.create(id, bundle("echo ran").dir(), CreateOptions.monitored(capture(id)));
    Thread.sleep(200);
    assertEquals("", stdoutOf(id));
    runtime.start(id);
    runtime.exitCode(id).get(10, TimeUnit.SECONDS);
    assertEquals("ran\n", stdoutOf(id));
  }

  @Test
  void killDeliversTheSignal() throws Exception {
    String id = started("trap 'exit 7' USR1; echo trapped; while true; do sleep 0.05; done");
    awaitOutput(
        id, "trapped"); // the handler is installed: PID 1 ignores signals it has no handler for
    runtime.kill(id, 10, false);
    assertEquals(7, runtime.exitCode(id).get(10, TimeUnit.SECONDS));
    // PID 1 of a pid namespace ignores signals it has no handler for, except SIGKILL.
    String other = started("sleep 30");
    runtime.kill(other, 9, false);
    assertEquals(128 + 9, runtime.exitCode(other).get(10, TimeUnit.SECONDS));
  }

  @Test
  void killingAStoppedContainerIsRefused() throws Exception {
    String id = started("true");
    runtime.exitCode(id).get(10, TimeUnit.SECONDS);
    ContainerException e =
        assertThrows(ContainerException.class, () -> runtime.kill(id, 15, false));
    assertTrue(e.getMessage().contains("not running"), e.getMessage());
  }

  @Test
  void killAllSignalsEveryProcessInTheContainer() throws Exception {
    String id = started("sleep 30 & sleep 30 & wait");
    for (int i = 0; i < 500 && runtime.ps(id).size() < 3; i++) {
      Thread.sleep(10);
    }
    assertEquals(3, runtime.ps(id).size());
    runtime.kill(id, 9, true);
    assertEquals(137, runtime.exitCode(id).get(10, TimeUnit.SECONDS));
    for (int i = 0; i < 100 && !runtime.ps(id).isEmpty(); i++) {
      Thread.sleep(10);
    }
    assertEquals(List.of(), runtime.ps(id));
  }

  @Test
  void deletingARunningContainerIsRefusedWithoutForce() throws Exception {
    String id = started("sleep 30");
    Path cgroupDir =
        runtime.cgroups().containerView(runtime.record(id).cgroupPath()).values().iterator().next();
    ContainerException e = assertThrows(ContainerException.class, () -> runtime.delete(id, false));
    assertTrue(e.getMessage().contains("not stopped: running"), e.getMessage());
    assertEquals("running", runtime.state(id).status());
    int pid = runtime.state(id).pid();
    runtime.delete(id, true);
    assertFalse(
        Files.exists(Path.of("/proc/" + pid + "/stat"))
            && !Files.readString(Path.of("/proc/" + pid + "/stat")).contains(") Z"));
    assertFalse(Files.exists(cgroupDir), cgroupDir + " should be gone");
    assertFalse(Files.exists(stateRoot.resolve(id)));
  }

  @Test
  void aNestedCgroupsPathIsHonouredAndTheParentsItMadeAreRemoved() throws Exception {
    String parent = "/berth-nest-" + ProcessHandle.current().pid();
    String id = newId("nested");
    var b =
        bundle("sleep 30")
            .edit(c -> ((ObjectNode) c.get("linux")).put("cgroupsPath", parent + "/inner/" + id));
    runtime.create(id, b.dir(), CreateOptions.monitored(capture(id)));
    Path leaf = runtime.cgroups().containerView(parent + "/inner/" + id).values().iterator().next();
    assertTrue(
        Files.readString(leaf.resolve("cgroup.procs"))
            .contains(Integer.toString(runtime.state(id).pid())));
    runtime.delete(id, true);
    Path top = runtime.cgroups().containerView(parent).values().iterator().next();
    assertFalse(Files.exists(top), top + " left behind");
  }

  @Test
  void aRuntimeThatAdoptedAMonitoredContainerDeletesItCleanly() throws Exception {
    for (int i = 0; i < 5; i++) {
      String id = started("sleep 30");
      ContainerRuntime adopter = new ContainerRuntime(stateRoot); // as after an agent restart
      adopter.delete(id, true);
      assertFalse(Files.exists(stateRoot.resolve(id)), "state directory of " + id + " left behind");
    }
  }

  @Test
  void aCreatedContainerCanBeDeletedWithoutForce() throws Exception {
    String id = newId("created");
    runtime.create(id, bundle("echo never").dir(), CreateOptions.monitored(capture(id)));
    runtime.delete(id, false);
    assertEquals(List.of(), runtime.list());
    assertEquals("", stdoutOf(id));
  }

  @Test
  void pauseFreezesAndResumeThaws() throws Exception {
    // Written to a temporary file and renamed, so the test never reads a half-written counter.
    var b =
        bundle(
                "i=0; while true; do i=$((i+1)); echo $i > /data/count.tmp; mv /data/count.tmp /data/count;"
                    + " sleep 0.02; done")
            .edit(
                c ->
                    ((ArrayNode) c.get("mounts"))
                        .addObject()
                        .put("destination", "/data")
                        .put("type", "bind")
                        .put("source", work.toString())
                        .putArray("options")
                        .add("rbind"));
    String id = newId("pause");
    runtime.create(id, b.dir(), CreateOptions.monitored(capture(id)));
    runtime.start(id);
    Path count = work.resolve("count");
    while (!Files.exists(count)) {
      Thread.sleep(10);
    }
    runtime.pause(id);
    assertEquals("paused", runtime.state(id).status());
    String frozenAt = Files.readString(count);
    Thread.sleep(300);
    assertEquals(frozenAt, Files.readString(count), "a paused container kept running");
    runtime.resume(id);
    assertEquals("running", runtime.state(id).status());
    Thread.sleep(300);
    assertTrue(
        Integer.parseInt(Files.readString(count).trim()) > Integer.parseInt(frozenAt.trim()));
  }

  @Test
  void execJoinsTheContainersNamespacesAndCgroup() throws Exception {
    var b = bundle("sleep 30").edit(c -> c.put("hostname", "inside"));
    String id = newId("exec");
    runtime.create(id, b.dir(), CreateOptions.monitored(capture(id)));
    runtime.start(id);
    int initPid = runtime.state(id).pid();
    Path out = work.resolve("exec.out");
    ContainerProcess p =
        new ContainerProcess(
            false,
            null,
            null,
            List.of(
                "sh",
                "-c",
                "hostname; for n in pid net mnt; do readlink /proc/self/ns/$n; done; echo $$; sleep 1"),
            null,
            List.of("PATH=/bin"),
            "/",
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    Stdio stdio =
        new Stdio(
            ProcessBuilder.Redirect.from(new File("/dev/null")),
            ProcessBuilder.Redirect.to(out.toFile()),
            ProcessBuilder.Redirect.INHERIT);
    ExecHandle h = runtime.exec(id, p, new ExecOptions(null, null, stdio));
    assertTrue(runtime.ps(id).contains(h.pid()), "exec'd process is in the container's cgroup");
    assertEquals(0, h.exit().get(10, TimeUnit.SECONDS));
    String[] lines = Files.readString(out).split("\n");
    assertEquals("inside", lines[0]);
    assertEquals(
        Files.readSymbolicLink(Path.of("/proc/" + initPid + "/ns/pid")).toString(), lines[1]);
    assertEquals(
        Files.readSymbolicLink(Path.of("/proc/" + initPid + "/ns/net")).toString(), lines[2]);
    assertEquals(
        Files.readSymbolicLink(Path.of("/proc/" + initPid + "/ns/mnt")).toString(), lines[3]);
    assertTrue(
        Integer.parseInt(lines[4]) < 10,
        "the exec'd shell sees the container's small pids: " + lines[4]);
  }

  @Test
  void hooksRunInOrderWithTheStateOnStdin() throws Exception {
    Path log = work.resolve("hooks.log");
    Path hook = work.resolve("hook.sh");
    Files.writeString(hook, "#!/bin/sh\necho \"$1 $(cat)\" >> " + log + "\n");
    hook.toFile().setExecutable(true);
    var b =
        bundle("true")
            .edit(
                c -> {
                  ObjectNode hooks = c.putObject("hooks");
                  for (String phase :
                      List.of(
                          "prestart",
                          "createRuntime",
                          "createContainer",
                          "startContainer",
                          "poststart",
                          "poststop")) {
                    hooks
                        .putArray(phase)
                        .addObject()
                        .put("path", hook.toString())
                        .putArray("args")
                        .add("hook.sh")
                        .add(phase);
                  }
                });
    Result r = run(b);
    assertEquals(0, r.exitCode(), r.stderr());
    List<String> lines = Files.readAllLines(log);
    assertEquals(
        List.of(
            "prestart",
            "createRuntime",
            "createContainer",
            "startContainer",
            "poststart",
            "poststop"),
        lines.stream().map(l -> l.substring(0, l.indexOf(' '))).toList());
    JsonNode created =
        JsonMapping.mapper().readTree(lines.get(1).substring(lines.get(1).indexOf(' ') + 1));
    assertEquals("creating", created.get("status").asText());
    assertTrue(created.get("pid").asInt() > 0);
    assertEquals(b.dir().toString(), created.get("bundle").asText());
    JsonNode stopped =
        JsonMapping.mapper().readTree(lines.get(5).substring(lines.get(5).indexOf(' ') + 1));
    assertEquals("stopped", stopped.get("status").asText());
  }

  @Test
  void aFailingCreateRuntimeHookAbortsCreateAndLeavesNothing() throws Exception {
    String id = newId("badhook");
    var b =
        bundle("true")
            .edit(
                c ->
                    c.putObject("hooks")
                        .putArray("createRuntime")
                        .addObject()
                        .put("path", "/bin/false"));
    ContainerException e =
        assertThrows(
            ContainerException.class,
            () -> runtime.create(id, b.dir(), CreateOptions.monitored(capture(id))));
    assertTrue(
        e.getMessage().contains("hooks.createRuntime[0] /bin/false: exited with status 1"),
        e.getMessage());
    assertFalse(Files.exists(stateRoot.resolve(id)));
    assertFalse(
        Files.exists(runtime.cgroups().containerView("/berth-" + id).values().iterator().next()));
  }
}
