package dev.berth.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.runtime.testing.BusyboxBundle;
import dev.berth.runtime.testing.RuntimeTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Where the runtime-spec leaves room and runc and crun agree, Berth does as they do: a new network
 * namespace's loopback is up, a hostname may be set in a joined uts namespace, and a failing
 * poststart or poststop hook does not keep the hooks after it from running.
 */
class PeerBehaviourTest extends RuntimeTestSupport {
  @Test
  void aNewNetworkNamespaceHasItsLoopbackUp() throws Exception {
    Result r =
        run(
            bundle(
                "cat /sys/class/net/lo/operstate /sys/class/net/lo/flags;"
                    + " nc -l -p 7000 -e echo pong & sleep 0.2; echo ping | nc 127.0.0.1 7000"));
    assertEquals(0, r.exitCode(), r.stderr());
    String[] lines = r.stdout().split("\n");
    // IFF_UP (0x1) in the flags; operstate of a loopback reads "unknown" once up
    assertTrue((Integer.decode(lines[1].trim()) & 1) == 1, "lo is up: " + r.stdout());
    assertTrue(r.stdout().contains("pong"), "127.0.0.1 answers: " + r.stdout() + r.stderr());
  }

  @Test
  void aHostnameIsSetInAUtsNamespaceJoinedByPath() throws Exception {
    String holder = newId("uts");
    runtime.create(
        holder, bundle("exec sleep 600").dir(), CreateOptions.monitored(capture(holder)));
    try {
      runtime.start(holder);
      int pid = runtime.state(holder).pid();
      BusyboxBundle joining =
          bundle("hostname; sleep 600 & cat /proc/sys/kernel/hostname")
              .edit(
                  c -> {
                    c.put("hostname", "joined-name");
                    ArrayNode ns = (ArrayNode) c.path("linux").path("namespaces");
                    for (int i = ns.size() - 1; i >= 0; i--) {
                      if ("uts".equals(ns.get(i).path("type").asText())) {
                        ns.remove(i);
                      }
                    }
                    ns.addObject().put("type", "uts").put("path", "/proc/" + pid + "/ns/uts");
                  });
      Result r = run(joining);
      assertEquals(0, r.exitCode(), r.stderr());
      assertTrue(r.stdout().startsWith("joined-name\n"), r.stdout());
      // the joined namespace's name changed: the first container sees it too
      Path out = work.resolve("holder-hostname");
      assertEquals(0, execInto(holder, execProcess(List.of("hostname")), out));
      assertEquals("joined-name", Files.readString(out).trim());
    } finally {
      runtime.kill(holder, 9, false);
      runtime.exitCode(holder).get(30, TimeUnit.SECONDS);
      runtime.delete(holder, true);
    }
  }

  @Test
  void aFailingPoststartOrPoststopHookWarnsAndTheHooksAfterItStillRun() throws Exception {
    Path log = work.resolve("after.log");
    Path hook = work.resolve("after.sh");
    Files.writeString(hook, "#!/bin/sh\necho \"$1\" >> " + log + "\n");
    hook.toFile().setExecutable(true);
    BusyboxBundle b =
        bundle("true")
            .edit(
                c -> {
                  ObjectNode hooks = c.putObject("hooks");
                  for (String phase : List.of("poststart", "poststop")) {
                    ArrayNode list = hooks.putArray(phase);
                    list.addObject().put("path", "/bin/false");
                    list.addObject()
                        .put("path", hook.toString())
                        .putArray("args")
                        .add("after.sh")
                        .add(phase);
                  }
                });
    Result r = run(b);
    assertEquals(0, r.exitCode(), r.stderr());
    assertEquals(List.of("poststart", "poststop"), Files.readAllLines(log));
  }

  @Test
  void aStateRootAndIdPastTheSocketPathLimitStillCreateAndExec() throws Exception {
    // containerd's runc root is /run/containerd/runc/<namespace>, its ids 64 hex digits
    Path root = work.resolve("run-containerd-runc-" + "n".repeat(60));
    ContainerRuntime deep = new ContainerRuntime(root);
    String id = "c".repeat(64);
    assertTrue(root.resolve(id).resolve("exec-0123456789abcdef.sock").toString().length() > 108);
    deep.create(id, bundle("exec sleep 600").dir(), CreateOptions.monitored(capture(id)));
    try {
      deep.start(id);
      ExecHandle h =
          deep.exec(
              id,
              execProcess(List.of("sh", "-c", "exit 7")),
              new ExecOptions(null, null, dev.berth.runtime.init.Stdio.discard()));
      assertEquals(7, h.exit().get(30, TimeUnit.SECONDS));
    } finally {
      deep.kill(id, 9, false);
      deep.exitCode(id).get(30, TimeUnit.SECONDS);
      deep.delete(id, true);
    }
  }

  @Test
  void aDetachedExecIsLeftToTheCallersReaperNotKeptByBerthInit() throws Exception {
    String id = newId("detach");
    runtime.create(id, bundle("exec sleep 600").dir(), CreateOptions.monitored(capture(id)));
    try {
      runtime.start(id);
      ExecHandle h =
          runtime.exec(
              id,
              execProcess(List.of("sleep", "30")),
              new ExecOptions(null, null, dev.berth.runtime.init.Stdio.discard(), true));
      long ppid = -1;
      for (int i = 0; i < 200; i++) {
        String status = Files.readString(Path.of("/proc/" + h.pid() + "/status"));
        ppid = Long.parseLong(status.replaceAll("(?s).*\nPPid:\\s*(\\d+).*", "$1"));
        String parent = Files.readString(Path.of("/proc/" + ppid + "/cmdline"));
        if (!parent.contains("berth-init")) {
          break;
        }
        Thread.sleep(10);
      }
      String parent = Files.readString(Path.of("/proc/" + ppid + "/cmdline"));
      assertTrue(
          !parent.contains("berth-init"),
          "berth-init left; the process is its reaper's (" + ppid + " " + parent + ")");
      assertTrue(ProcessHandle.of(h.pid()).isPresent(), "and it runs on");
    } finally {
      runtime.kill(id, 9, true);
      runtime.exitCode(id).get(30, TimeUnit.SECONDS);
      runtime.delete(id, true);
    }
  }

  @Test
  void everyRootfsPropagationRunsAndTheNewRootIsSharedOrUnbindableWhenAskedAsWithRunc()
      throws Exception {
    // optional field 7 of / in mountinfo: shared:N, unbindable, or none. The rootfs is bound
    // under a parent made private (pivot_root refuses shared mounts), so slave comes out private
    // there, as with runc: either way nothing mounted on the host reaches the container.
    String[][] cases = {
      {"shared", "shared:"},
      {"rshared", "shared:"},
      {"slave", "private"},
      {"rslave", "private"},
      {"private", "private"},
      {"rprivate", "private"},
      {"unbindable", "unbindable"},
    };
    // (runbindable makes the host's cgroup directories unbindable too: runc 1.1.5 and Berth both
    // fail its binds with EINVAL)
    for (String[] c : cases) {
      BusyboxBundle b =
          bundle("awk '$5 == \"/\" {print $7}' /proc/self/mountinfo | head -1")
              .edit(l -> ((ObjectNode) l.path("linux")).put("rootfsPropagation", c[0]));
      Result r;
      try {
        r = run(b);
      } catch (ContainerException e) {
        throw new AssertionError(c[0] + ": " + e.getMessage(), e);
      }
      assertEquals(0, r.exitCode(), c[0] + ": " + r.stderr());
      String tag = r.stdout().trim();
      if (c[1].equals("private")) {
        assertTrue(!tag.startsWith("shared:") && !tag.equals("unbindable"), c[0] + ": " + tag);
      } else {
        assertTrue(tag.startsWith(c[1]), c[0] + ": the new root is " + tag);
      }
    }
  }

  @Test
  void withoutAMountNamespaceTheProcessStaysInTheRuntimesRootAsWithRunc() throws Exception {
    Path marker = Files.writeString(work.resolve("host-marker"), "seen from the host's root\n");
    BusyboxBundle b =
        bundle("cat " + marker + "; echo pid=$$")
            .edit(
                c -> {
                  ArrayNode ns = (ArrayNode) c.path("linux").path("namespaces");
                  for (int i = ns.size() - 1; i >= 0; i--) {
                    if ("mount".equals(ns.get(i).path("type").asText())) {
                      ns.remove(i);
                    }
                  }
                  // the host's sh: the rootfs is not entered
                  ((ArrayNode) c.path("process").path("args")).set(0, "/bin/sh");
                });
    Result r = run(b);
    assertEquals(0, r.exitCode(), r.stderr());
    assertTrue(r.stdout().contains("seen from the host's root"), r.stdout());
    assertTrue(r.stdout().contains("pid=1"), "its own pid namespace still: " + r.stdout());
  }
}
