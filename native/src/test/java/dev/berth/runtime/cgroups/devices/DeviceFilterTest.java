package dev.berth.runtime.cgroups.devices;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.model.runtime.DeviceRule;
import dev.berth.model.runtime.Resources;
import dev.berth.runtime.cgroups.Cgroup;
import dev.berth.runtime.cgroups.CgroupV2Driver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * cgroup v2 device rules as an eBPF program, on the host's real cgroup2 mount (on this hybrid host,
 * the unified hierarchy without controllers: device programs need none): a process in the cgroup
 * opens the default devices, mknods, and is refused the host's disk that it reads outside.
 */
class DeviceFilterTest {
  private static Optional<Path> cgroup2Mount() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String[] parts = line.split(" - ");
      if (parts.length == 2 && parts[1].startsWith("cgroup2 ")) {
        return Optional.of(Path.of(parts[0].split(" ")[4]));
      }
    }
    return Optional.empty();
  }

  private static String run(String script) throws Exception {
    Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void aProcessInTheCgroupGetsOnlyTheDefaultDevicesAndNotTheHostsDisk() throws Exception {
    Path v2 = cgroup2Mount().orElse(null);
    Assumptions.assumeTrue(v2 != null, "a cgroup2 mount");
    // The kernel's log (c 1:11): root opens it, and it is not among a container's devices. (The
    // host's disk would do too where this machine's own device rules let root open it.)
    String probe =
        "head -c1 /dev/zero >/dev/null && echo zero-ok;"
            + " (: < /dev/kmsg) 2>/dev/null && echo kmsg-opened || echo kmsg-refused;"
            + " n=$(mktemp -u /tmp/berth-devnode.XXXXXX); mknod $n c 1 3 && echo mknod-ok; rm -f $n";
    String outside = run(probe);
    assertTrue(outside.contains("kmsg-opened"), "root opens it outside the cgroup: " + outside);

    String name = "berth-devtest-" + ProcessHandle.current().pid();
    CgroupV2Driver driver = new CgroupV2Driver(v2);
    Resources denyAll =
        Resources.none().withDevices(List.of(new DeviceRule(false, "a", null, null, "rwm", null)));
    Cgroup cgroup = driver.create(name, denyAll);
    try {
      String inside = run("echo $$ > " + v2.resolve(name).resolve("cgroup.procs") + "; " + probe);
      assertTrue(inside.contains("zero-ok"), "a default device: " + inside);
      assertTrue(inside.contains("mknod-ok"), "mknod of any device, as runc: " + inside);
      assertTrue(inside.contains("kmsg-refused"), "a device not allowed: " + inside);
    } finally {
      cgroup.destroy(List.of());
    }
    assertFalse(Files.exists(v2.resolve(name)), "the cgroup is gone");
  }

  @Test
  void theLastMatchingRuleDecidesAndARuleForAllDevicesResetsTheRest() {
    // deny all, allow c 1:3, then deny c 1:3 again: three blocks, the last first
    byte[] p =
        DeviceFilterProgram.compile(
            List.of(
                new DeviceRule(true, "c", 1L, 3L, "rwm", null), // overridden by the next
                new DeviceRule(false, "a", null, null, "rwm", null),
                new DeviceRule(true, "c", 1L, 3L, "rw", null)));
    // prologue 6, one rule block (type 1, access 3, major 1, minor 1, verdict 2), fallback 2
    assertTrue(p.length == (6 + 8 + 2) * 8, "instructions: " + p.length / 8);
    // the fallback after a deny-all rule denies: MOV64 r0, 0
    assertTrue(p[p.length - 16] == (byte) 0xb7 && p[p.length - 12] == 0, "fallback deny");
  }
}
