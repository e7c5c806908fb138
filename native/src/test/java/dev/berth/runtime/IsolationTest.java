package dev.berth.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.runtime.testing.RuntimeTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What a process inside a container can and cannot see. */
class IsolationTest extends RuntimeTestSupport {
  @Test
  void pidOneIsTheUserProgramAndHostProcessesAreInvisible() throws Exception {
    Result r = run(bundle("echo pid=$$; ls /proc | grep '^[0-9]'"));
    assertEquals(0, r.exitCode(), r.stderr());
    String[] lines = r.stdout().split("\n");
    assertEquals("pid=1", lines[0]);
    // Only sh, its $(...) subshell, ls and grep: none of the host's processes, all with small pids.
    for (int i = 1; i < lines.length; i++) {
      assertTrue(Integer.parseInt(lines[i]) < 10, r.stdout());
    }
    assertTrue(lines.length - 1 <= 4, r.stdout());
  }

  @Test
  void theHostnameIsTheConfiguredOne() throws Exception {
    Result r = run(bundle("hostname").edit(c -> c.put("hostname", "berth-box")));
    assertEquals("berth-box\n", r.stdout(), r.stderr());
  }

  @Test
  void theConfigsMountsAreThere() throws Exception {
    Result r =
        run(
            bundle("grep ' /scratch ' /proc/mounts; echo x > /scratch/f && cat /scratch/f")
                .edit(
                    c ->
                        ((ArrayNode) c.get("mounts"))
                            .addObject()
                            .put("destination", "/scratch")
                            .put("type", "tmpfs")
                            .put("source", "tmpfs")
                            .putArray("options")
                            .add("nosuid")
                            .add("size=1m")));
    assertEquals(0, r.exitCode(), r.stderr());
    assertTrue(r.stdout().startsWith("tmpfs /scratch tmpfs rw,nosuid"), r.stdout());
    assertTrue(r.stdout().endsWith("x\n"), r.stdout());
  }

  @Test
  void aBindMountShowsTheHostDirectoryReadOnlyWhenAsked() throws Exception {
    Path shared = Files.createDirectories(work.resolve("shared"));
    Files.writeString(shared.resolve("note"), "from host");
    Result r =
        run(
            bundle("cat /data/note; touch /data/x 2>&1 || echo refused")
                .edit(
                    c ->
                        ((ArrayNode) c.get("mounts"))
                            .addObject()
                            .put("destination", "/data")
                            .put("type", "bind")
                            .put("source", shared.toString())
                            .putArray("options")
                            .add("rbind")
                            .add("ro")));
    assertTrue(r.stdout().startsWith("from host"), r.stdout());
    assertTrue(r.stdout().contains("Read-only file system"), r.stdout());
    assertTrue(r.stdout().endsWith("refused\n"), r.stdout());
  }

  @Test
  void maskedPathsAreUnreadable() throws Exception {
    var b = bundle("echo file=$(cat /etc/secret); echo dir=$(ls /etc/secrets | wc -l)");
    Files.writeString(b.rootfs().resolve("etc/secret"), "s3cr3t");
    Files.createDirectories(b.rootfs().resolve("etc/secrets"));
    Files.writeString(b.rootfs().resolve("etc/secrets/key"), "k");
    Result r =
        run(
            b.edit(
                c ->
                    ((ArrayNode) c.get("linux").get("maskedPaths"))
                        .add("/etc/secret")
                        .add("/etc/secrets")));
    assertEquals("file=\ndir=0\n", r.stdout(), r.stderr());
  }

  @Test
  void readOnlyPathsAndTheReadOnlyRootRefuseWrites() throws Exception {
    Result r =
        run(
            bundle(
                "echo 1 > /proc/sys/kernel/ns_last_pid 2>/dev/null || echo sys-refused; "
                    + "touch /newfile 2>/dev/null || echo root-refused; touch /dev/shm/ok && echo shm-ok"));
    assertEquals("sys-refused\nroot-refused\nshm-ok\n", r.stdout(), r.stderr());
  }

  @Test
  void theDefaultDevicesExistAndWork() throws Exception {
    Result r =
        run(bundle("head -c 4 /dev/zero | wc -c; ls -l /dev/null | cut -c1; readlink /dev/fd"));
    assertEquals("4\nc\n/proc/self/fd\n", r.stdout(), r.stderr());
  }

  @Test
  void aContainerJoinsAnothersNetworkNamespaceByPath() throws Exception {
    String first = newId("netns-owner");
    runtime.create(first, bundle("sleep 30").dir(), CreateOptions.monitored(capture(first)));
    runtime.start(first);
    int ownerPid = runtime.state(first).pid();
    String ownerNet = Files.readSymbolicLink(Path.of("/proc/" + ownerPid + "/ns/net")).toString();

    Result r =
        run(
            bundle("readlink /proc/self/ns/net")
                .edit(
                    c -> {
                      ArrayNode ns = (ArrayNode) c.get("linux").get("namespaces");
                      for (var n : ns) {
                        if (n.get("type").asText().equals("network")) {
                          ((ObjectNode) n).put("path", "/proc/" + ownerPid + "/ns/net");
                        }
                      }
                    }));
    assertEquals(ownerNet + "\n", r.stdout(), r.stderr());
    String hostNet = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
    assertNotEquals(hostNet, ownerNet);
  }

  @Test
  void aUserNamespaceContainerIsRootInsideAndUnprivilegedOutside() throws Exception {
    Result r =
        run(
            bundle("id -u; cat /proc/self/uid_map; cat /proc/self/gid_map")
                .edit(
                    c -> {
                      ObjectNode linux = (ObjectNode) c.get("linux");
                      ((ArrayNode) linux.get("namespaces")).addObject().put("type", "user");
                      linux
                          .putArray("uidMappings")
                          .addObject()
                          .put("containerID", 0)
                          .put("hostID", 100000)
                          .put("size", 65536);
                      linux
                          .putArray("gidMappings")
                          .addObject()
                          .put("containerID", 0)
                          .put("hostID", 100000)
                          .put("size", 65536);
                      // sysfs and cgroup need privileges a user namespace does not have over the
                      // host's.
                      ArrayNode mounts = (ArrayNode) c.get("mounts");
                      for (int i = mounts.size() - 1; i >= 0; i--) {
                        String dest = mounts.get(i).get("destination").asText();
                        if (dest.startsWith("/sys")) {
                          mounts.remove(i);
                        }
                      }
                      ArrayNode masked = (ArrayNode) linux.get("maskedPaths");
                      for (int i = masked.size() - 1; i >= 0; i--) {
                        if (masked.get(i).asText().startsWith("/sys")) {
                          masked.remove(i);
                        }
                      }
                    }));
    assertEquals(0, r.exitCode(), r.stderr());
    String[] lines = r.stdout().split("\n");
    assertEquals("0", lines[0]);
    assertEquals("0 100000 65536", lines[1].trim().replaceAll("\\s+", " "));
    assertEquals("0 100000 65536", lines[2].trim().replaceAll("\\s+", " "));
  }
}
