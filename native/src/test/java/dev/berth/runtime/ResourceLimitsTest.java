package dev.berth.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.runtime.testing.RuntimeTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Cgroup limits really bind the processes in the container. */
class ResourceLimitsTest extends RuntimeTestSupport {
  private static ObjectNode resources(ObjectNode config) {
    return ((ObjectNode) config.get("linux")).putObject("resources");
  }

  @Test
  void aMemoryLimitKillsAProcessThatAllocatesPastIt() throws Exception {
    Result r =
        run(
            bundle("exec dd if=/dev/zero of=/dev/null bs=64M count=1")
                .edit(
                    c -> {
                      ObjectNode mem = resources(c).putObject("memory");
                      mem.put("limit", 16L << 20).put("swap", 16L << 20);
                    }));
    assertEquals(
        128 + 9,
        r.exitCode(),
        "the OOM killer should end the container: " + r.stdout() + r.stderr());
  }

  @Test
  void theSameAllocationSucceedsUnderAHigherLimit() throws Exception {
    Result r =
        run(
            bundle("dd if=/dev/zero of=/dev/null bs=64M count=1 2>/dev/null; echo survived")
                .edit(
                    c ->
                        resources(c)
                            .putObject("memory")
                            .put("limit", 256L << 20)
                            .put("swap", 256L << 20)));
    assertEquals("survived\n", r.stdout(), r.stderr());
  }

  @Test
  void aPidsLimitStopsAForkBomb() throws Exception {
    // The bomb runs in a child shell: a shell dies when fork fails, and PID 1 dying would end the
    // test early.
    var b =
        bundle("sh -c 'for i in $(seq 1 50); do sleep 30 & done'; exec sleep 30")
            .edit(c -> resources(c).putObject("pids").put("limit", 10));
    String id = newId("pids");
    runtime.create(id, b.dir(), CreateOptions.monitored(capture(id)));
    runtime.start(id);
    Thread.sleep(1000);
    int inside = runtime.ps(id).size();
    assertTrue(inside <= 10, inside + " processes despite pids.limit 10");
    assertTrue(inside >= 5, "the limit, not something else, should stop the forks: " + inside);
    assertTrue(stderrOf(id).contains("fork"), stderrOf(id));
    assertEquals(10, runtime.stats(id).pids().limit());
    runtime.delete(id, true);
  }

  @Test
  void theCpuQuotaAndSharesAreInTheCgroup() throws Exception {
    var b =
        bundle(
                "cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us 2>/dev/null || cat /sys/fs/cgroup/cpu.max; sleep 30")
            .edit(
                c ->
                    resources(c)
                        .putObject("cpu")
                        .put("quota", 50_000)
                        .put("period", 100_000)
                        .put("shares", 512));
    String id = newId("cpu");
    runtime.create(id, b.dir(), CreateOptions.monitored(capture(id)));
    runtime.start(id);
    String path = runtime.record(id).cgroupPath();
    if (runtime.cgroups().version().equals("v1")) {
      Path cpu = runtime.cgroups().containerView(path).get("cpu");
      assertEquals("50000", Files.readString(cpu.resolve("cpu.cfs_quota_us")).trim());
      assertEquals("100000", Files.readString(cpu.resolve("cpu.cfs_period_us")).trim());
      assertEquals("512", Files.readString(cpu.resolve("cpu.shares")).trim());
    } else {
      Path dir = runtime.cgroups().containerView(path).get("");
      assertEquals("50000 100000", Files.readString(dir.resolve("cpu.max")).trim());
    }
    for (int i = 0; i < 100 && stdoutOf(id).isEmpty(); i++) {
      Thread.sleep(20);
    }
    assertTrue(
        stdoutOf(id).startsWith("50000"), "the container sees its own quota: " + stdoutOf(id));
    runtime.delete(id, true);
  }

  @Test
  void statsReportMemoryCpuAndPids() throws Exception {
    var b =
        bundle("i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; sleep 30")
            .edit(c -> resources(c).putObject("memory").put("limit", 64L << 20));
    String id = newId("stats");
    runtime.create(id, b.dir(), CreateOptions.monitored(capture(id)));
    runtime.start(id);
    Thread.sleep(500);
    var stats = runtime.stats(id);
    assertEquals(64L << 20, stats.memory().usage().limit());
    assertTrue(stats.memory().usage().usage() > 0);
    assertTrue(stats.cpu().usage().total() > 0);
    assertTrue(stats.pids().current() >= 1);
    runtime.delete(id, true);
  }

  @Test
  void blockIoThrottlesAndKernelTcpMemoryApplyOnV1AndWhatThisHostLacksIsRefusedByName()
      throws Exception {
    // the root disk's device numbers; this host's blkio has throttling but no weights (no CFQ or
    // BFQ), and no hugetlb or net_cls controller mounted
    long rootDev = (long) java.nio.file.Files.getAttribute(java.nio.file.Path.of("/"), "unix:dev");
    long major = (rootDev >> 8) & 0xfff;
    long minor = (rootDev & 0xff) | ((rootDev >> 12) & 0xfff00);
    Result r =
        run(
            bundle(
                    "cat /sys/fs/cgroup/blkio/blkio.throttle.read_bps_device"
                        + " /sys/fs/cgroup/memory/memory.kmem.tcp.limit_in_bytes")
                .edit(
                    c -> {
                      ObjectNode res = resources(c);
                      res.putObject("blockIO")
                          .putArray("throttleReadBpsDevice")
                          .addObject()
                          .put("major", major)
                          .put("minor", minor)
                          .put("rate", 1048576);
                      res.putObject("memory").put("kernelTCP", 8L << 20);
                    }));
    assertEquals(0, r.exitCode(), r.stderr());
    assertEquals(major + ":" + minor + " 1048576\n8388608\n", r.stdout());

    record Refused(String json, String message) {}
    for (Refused refused :
        java.util.List.of(
            new Refused(
                "{\"blockIO\":{\"weight\":500}}",
                "linux.resources.blockIO.weight: this host's cgroup v1 has no blkio.bfq.weight"),
            new Refused(
                "{\"hugepageLimits\":[{\"pageSize\":\"2MB\",\"limit\":2097152}]}",
                "linux.resources.hugepageLimits: this host's cgroup v1 has no"
                    + " hugetlb.2MB.limit_in_bytes"),
            new Refused(
                "{\"network\":{\"classID\":1048577}}",
                "linux.resources.network.classID: this host's cgroup v1 has no net_cls.classid"))) {
      var limits = dev.berth.model.JsonMapping.mapper().readTree(refused.json());
      var b =
          bundle("echo never").edit(c -> ((ObjectNode) c.get("linux")).set("resources", limits));
      ContainerException e =
          org.junit.jupiter.api.Assertions.assertThrows(ContainerException.class, () -> run(b));
      assertTrue(e.getMessage().contains(refused.message()), e.getMessage());
      assertEquals(java.util.List.of(), runtime.list(), "nothing left of " + refused.json());
    }
  }
}
