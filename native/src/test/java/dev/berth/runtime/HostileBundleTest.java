package dev.berth.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.runtime.ContainerProcess;
import dev.berth.runtime.testing.BusyboxBundle;
import dev.berth.runtime.testing.RuntimeTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hostile bundles and exec requests, each performing an attack that once escaped the container or
 * wrote to the host (issue 8), and checking that it now fails or stays inside.
 */
class HostileBundleTest extends RuntimeTestSupport {
  /** Creates the bundle expecting a refusal, and checks that the refusal left no state behind. */
  private ContainerException createFails(BusyboxBundle b, String id) {
    ContainerException e =
        assertThrows(
            ContainerException.class,
            () -> runtime.create(id, b.dir(), CreateOptions.monitored(capture(id))));
    assertFalse(Files.exists(stateRoot.resolve(id)), "state left behind: " + e.getMessage());
    return e;
  }

  /**
   * A bundle that bind-mounts a host volume holding the symlink {@code escape -> linkTarget} at
   * /vol, then mounts a tmpfs at /vol/escape/{@code made}: the link is only there once the volume
   * is mounted.
   */
  private BusyboxBundle volumeWithLink(String linkTarget, String made, String script)
      throws Exception {
    Path volume = Files.createDirectories(work.resolve("volume"));
    Files.createSymbolicLink(volume.resolve("escape"), Path.of(linkTarget));
    return bundle(script)
        .edit(
            c -> {
              ArrayNode mounts = (ArrayNode) c.get("mounts");
              mounts
                  .addObject()
                  .put("destination", "/vol")
                  .put("type", "bind")
                  .put("source", volume.toString())
                  .putArray("options")
                  .add("rbind");
              mounts
                  .addObject()
                  .put("destination", "/vol/escape/" + made)
                  .put("type", "tmpfs")
                  .put("source", "tmpfs");
            });
  }

  private static String hostNs(String kind) throws Exception {
    return Files.readSymbolicLink(Path.of("/proc/self/ns/" + kind)).toString();
  }

  /**
   * Args that spell plan instructions ("clone 0", "join ... /proc/1/ns/mnt") past the old 1,024
   * limit.
   */
  private static List<String> instructionLookalikes(int filler) {
    List<String> args = new ArrayList<>();
    for (int i = 0; i < filler; i++) {
      args.add("a" + i);
    }
    args.addAll(
        List.of(
            "clone",
            "0",
            "join",
            "131072",
            "/proc/1/ns/mnt",
            "join",
            "536870912",
            "/proc/1/ns/pid",
            "end"));
    return args;
  }

  @Test
  void a100000ArgumentCommandRunsWithEveryArgumentAsData() throws Exception {
    BusyboxBundle b =
        bundle("unused")
            .edit(
                c -> {
                  ArrayNode args = ((ObjectNode) c.get("process")).putArray("args");
                  args.add("sh")
                      .add("-c")
                      .add("echo $# $$ $(readlink /proc/self/ns/mnt); eval echo \\${$#}")
                      .add("sh");
                  for (int i = 0; i < 100_000 - 9; i++) {
                    args.add("a" + i);
                  }
                  instructionLookalikes(0).forEach(args::add);
                });
    Result r = run(b);
    String[] out = r.stdout().split("\n");
    String[] first = out[0].split(" ");
    assertEquals("100000", first[0], r.stderr());
    assertEquals("1", first[1], "the container is pid 1 of its own pid namespace");
    assertNotEquals(
        hostNs("mnt"), first[2], "the container must not be in the host's mount namespace");
    assertEquals("end", out[1], "the last argument arrives as it was given");
  }

  @Test
  void aHundredThousandEnvironmentEntriesArePassed() throws Exception {
    BusyboxBundle b =
        bundle("echo $E0 $E50000 $E99999")
            .edit(
                c -> {
                  ArrayNode env = (ArrayNode) c.get("process").get("env");
                  for (int i = 0; i < 100_000; i++) {
                    env.add("E" + i + "=" + (i % 10));
                  }
                });
    assertEquals("0 0 9\n", run(b).stdout());
  }

  @Test
  void anEnvironmentLargerThanExecTakesIsRefusedAtCreate() throws Exception {
    BusyboxBundle b =
        bundle("true")
            .edit(
                c -> {
                  ArrayNode env = (ArrayNode) c.get("process").get("env");
                  for (int i = 0; i < 300_000; i++) {
                    env.add("E" + i + "=value");
                  }
                });
    String id = newId("e2big");
    ContainerException e = createFails(b, id);
    assertTrue(
        e.getMessage().contains("process.args and process.env") && e.getMessage().contains("E2BIG"),
        e.getMessage());
  }

  @Test
  void moreArgumentsThanThePlanCarriesAreRefusedByName() throws Exception {
    BusyboxBundle b =
        bundle("unused")
            .edit(
                c -> {
                  ArrayNode args = ((ObjectNode) c.get("process")).putArray("args");
                  for (int i = 0; i < (1 << 20) + 1; i++) {
                    args.add("x");
                  }
                });
    String id = newId("many");
    ContainerException e = createFails(b, id);
    assertTrue(e.getMessage().contains("process.args: more than 1048576 entries"), e.getMessage());
  }

  @Test
  void anArgumentLongerThanTheKernelTakesIsRefusedByName() throws Exception {
    BusyboxBundle b =
        bundle("unused")
            .edit(c -> ((ArrayNode) c.get("process").get("args")).add("y".repeat(200_000)));
    String id = newId("long");
    ContainerException e = createFails(b, id);
    assertTrue(e.getMessage().contains("process.args: an entry of 200000 bytes"), e.getMessage());
  }

  @Test
  void execArgumentsThatSpellJoinDoNotEnterTheHostMountNamespace() throws Exception {
    String id = newId("exec");
    runtime.create(id, bundle("sleep 60").dir(), CreateOptions.monitored(capture(id)));
    runtime.start(id);
    List<String> args =
        new ArrayList<>(List.of("sh", "-c", "readlink /proc/self/ns/mnt; echo $#", "sh"));
    args.addAll(instructionLookalikes(1100));
    Path out = work.resolve("exec.out");
    assertEquals(0, execInto(id, execProcess(args), out));
    String[] lines = Files.readString(out).split("\n");
    String containerMnt =
        Files.readSymbolicLink(Path.of("/proc/" + runtime.state(id).pid() + "/ns/mnt")).toString();
    assertEquals(containerMnt, lines[0]);
    assertNotEquals(hostNs("mnt"), lines[0]);
    assertEquals(Integer.toString(1100 + 9), lines[1]);
  }

  @Test
  void anExecWithoutCapabilitiesKeepsTheContainersOwnSet() throws Exception {
    String id = newId("caps");
    runtime.create(id, bundle("sleep 60").dir(), CreateOptions.monitored(capture(id)));
    runtime.start(id);
    Path out = work.resolve("caps.out");
    ContainerProcess p =
        execProcess(List.of("sh", "-c", "grep -E '^(CapEff|CapBnd|NoNewPrivs)' /proc/self/status"));
    assertEquals(0, execInto(id, p, out));
    String mask = String.format("%016x", (1L << 29) | (1L << 5) | (1L << 10));
    assertEquals(
        "CapEff:\t" + mask + "\nCapBnd:\t" + mask + "\nNoNewPrivs:\t1\n",
        Files.readString(out),
        "the default config's three capabilities and no_new_privs, not every capability");
  }

  @Test
  void aMountThroughAProcMagicLinkInTheImageIsRefused() throws Exception {
    Path probe = Files.createDirectories(work.resolve("host-probe"));
    BusyboxBundle b = bundle("true");
    // Before /proc is mounted this resolves inside the rootfs; after, /proc/self/root is the host's
    // root.
    Files.createSymbolicLink(b.rootfs().resolve("shm"), Path.of("/proc/self/root" + probe));
    b.edit(
        c ->
            ((ArrayNode) c.get("mounts"))
                .addObject()
                .put("destination", "/shm/made-on-host")
                .put("type", "tmpfs")
                .put("source", "tmpfs"));
    String id = newId("magic");
    ContainerException e = createFails(b, id);
    assertTrue(e.getMessage().contains("inside /proc"), e.getMessage());
    assertFalse(Files.exists(probe.resolve("made-on-host")), "a directory was made on the host");
  }

  @Test
  void aProcMagicLinkExposedByAnEarlierMountIsRefusedAtMountTime() throws Exception {
    Path probe = Files.createDirectories(work.resolve("host-probe"));
    // Not visible when the bundle is checked: it appears only once the volume is mounted, after
    // /proc.
    BusyboxBundle b = volumeWithLink("/proc/self/root" + probe, "made-here", "true");
    String id = newId("magic2");
    ContainerException e = createFails(b, id);
    assertTrue(
        e.getMessage().contains("/vol/escape/made-here") && e.getMessage().contains("ELOOP"),
        e.getMessage());
    assertFalse(Files.exists(probe.resolve("made-here")), "a directory was made on the host");
  }

  @Test
  void aSymlinkInsideAnEarlierBindMountStaysInsideTheRootfs() throws Exception {
    Path probe = Files.createDirectories(work.resolve("host-probe"));
    BusyboxBundle b =
        volumeWithLink(
            "../../../../../../../.." + probe,
            "inside",
            "test -d " + probe + "/inside && echo contained");
    Result r = run(b);
    assertEquals("contained\n", r.stdout(), r.stderr());
    assertFalse(Files.exists(probe.resolve("inside")), "a directory was made on the host");
  }

  @Test
  void aBindOfTheHostRootOverProcIsRefused() throws Exception {
    BusyboxBundle b =
        bundle("true")
            .edit(
                c ->
                    ((ArrayNode) c.get("mounts"))
                        .addObject()
                        .put("destination", "/proc")
                        .put("type", "bind")
                        .put("source", "/")
                        .putArray("options")
                        .add("rbind"));
    String id = newId("proc");
    ContainerException e = createFails(b, id);
    assertTrue(
        e.getMessage().contains("\"/proc\" cannot be mounted because it is not of type proc"),
        e.getMessage());
  }

  @Test
  void aTmpfsInsideProcIsRefused() throws Exception {
    BusyboxBundle b =
        bundle("true")
            .edit(
                c ->
                    ((ArrayNode) c.get("mounts"))
                        .addObject()
                        .put("destination", "/proc/sys")
                        .put("type", "tmpfs")
                        .put("source", "tmpfs"));
    String id = newId("procsys");
    ContainerException e = createFails(b, id);
    assertTrue(
        e.getMessage().contains("\"/proc/sys\" cannot be mounted because it is inside /proc"),
        e.getMessage());
  }

  @Test
  void aCgroupsPathWithDotDotStaysUnderTheCgroupRoot() throws Exception {
    Path outside = work.resolve("cg");
    String hostile = "../../../../../../../.." + outside;
    String id = newId("cg");
    runtime.create(
        id,
        bundle("sleep 60")
            .edit(c -> ((ObjectNode) c.get("linux")).put("cgroupsPath", hostile))
            .dir(),
        CreateOptions.monitored(capture(id)));
    assertFalse(Files.exists(outside), "cgroup files were written to the host filesystem");
    assertEquals(
        outside.toString(),
        runtime.record(id).cgroupPath(),
        "clamped at the cgroup root, as runc does");
    assertTrue(runtime.ps(id).contains(runtime.state(id).pid()), "the container is in its cgroup");
    runtime.delete(id, true);
    for (Path dir : runtime.cgroups().containerView(outside.toString()).values()) {
      assertFalse(Files.exists(dir), "cgroup left behind: " + dir);
      assertFalse(
          Files.exists(dir.getParent()), "created ancestor left behind: " + dir.getParent());
    }
  }

  @Test
  void aSysctlOutsideAnyNamespaceIsRefused() throws Exception {
    String before = Files.readString(Path.of("/proc/sys/vm/swappiness"));
    BusyboxBundle b =
        bundle("true")
            .edit(c -> ((ObjectNode) c.get("linux")).putObject("sysctl").put("vm.swappiness", "7"));
    String id = newId("sysctl");
    ContainerException e = createFails(b, id);
    assertTrue(
        e.getMessage().contains("vm.swappiness")
            && e.getMessage().contains("not in a separate kernel namespace"),
        e.getMessage());
    assertEquals(before, Files.readString(Path.of("/proc/sys/vm/swappiness")));
  }

  @Test
  void aNetworkSysctlNeedsANetworkNamespace() throws Exception {
    BusyboxBundle b =
        bundle("true")
            .edit(
                c -> {
                  ((ObjectNode) c.get("linux")).putObject("sysctl").put("net.ipv4.ip_forward", "1");
                  ArrayNode ns = (ArrayNode) c.get("linux").get("namespaces");
                  for (int i = ns.size() - 1; i >= 0; i--) {
                    if (ns.get(i).get("type").asText().equals("network")) {
                      ns.remove(i);
                    }
                  }
                });
    String id = newId("netsysctl");
    ContainerException e = createFails(b, id);
    assertTrue(
        e.getMessage().contains("not allowed in the host's network namespace"), e.getMessage());
  }

  @Test
  void aNamespacedSysctlIsSetInsideTheContainerOnly() throws Exception {
    String before = Files.readString(Path.of("/proc/sys/kernel/shmmni"));
    Result r =
        run(
            bundle("cat /proc/sys/kernel/shmmni")
                .edit(
                    c ->
                        ((ObjectNode) c.get("linux"))
                            .putObject("sysctl")
                            .put("kernel.shmmni", "1234")));
    assertEquals("1234\n", r.stdout(), r.stderr());
    assertEquals(before, Files.readString(Path.of("/proc/sys/kernel/shmmni")));
  }

  @Test
  void stateIsReadableByRootOnly() throws Exception {
    String id = newId("perm");
    runtime.create(
        id,
        bundle("true")
            .edit(c -> ((ArrayNode) c.get("process").get("env")).add("DB_PASSWORD=secret"))
            .dir(),
        CreateOptions.monitored(capture(id)));
    assertEquals(
        "rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(stateRoot)));
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(stateRoot.resolve(id))));
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(stateRoot.resolve(id).resolve("state.json"))));
  }
}
