package dev.berth.runtime.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.model.runtime.BlockIO;
import dev.berth.model.runtime.Cpu;
import dev.berth.model.runtime.HugepageLimit;
import dev.berth.model.runtime.Memory;
import dev.berth.model.runtime.NetworkResources;
import dev.berth.model.runtime.Pids;
import dev.berth.model.runtime.Resources;
import dev.berth.model.runtime.ThrottleDevice;
import dev.berth.model.runtime.WeightDevice;
import dev.berth.runtime.ContainerException;
import dev.berth.testing.FakeCgroupV2Tree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cgroup v2 driver on a fake unified tree (a plain directory): this host runs cgroup v1, so the
 * files the driver writes are checked rather than the kernel's reaction to them.
 */
class CgroupV2DriverFakeTreeTest {
  @TempDir Path root;
  CgroupV2Driver driver;

  @BeforeEach
  void fakeRoot() throws Exception {
    driver = new CgroupV2Driver(FakeCgroupV2Tree.create(root));
  }

  private static Resources resources(Memory mem, Cpu cpu, Pids pids, Map<String, String> unified) {
    return new Resources(null, mem, cpu, pids, null, null, null, null, unified, null);
  }

  @Test
  void limitsAreWrittenInTheV2FilesWithRuncsConversions() throws Exception {
    Memory mem =
        new Memory(256L << 20, 128L << 20, 512L << 20, null, null, null, null, null, null, null);
    Cpu cpu = new Cpu(1024L, 50_000L, null, 100_000L, null, null, "0-1", "0", null, null);
    Cgroup cg =
        driver.create(
            "/berth/c1", resources(mem, cpu, new Pids(100L, null), Map.of("io.weight", "50")));
    Path dir = root.resolve("berth/c1");
    assertEquals("268435456", Files.readString(dir.resolve("memory.max")));
    assertEquals("134217728", Files.readString(dir.resolve("memory.low")));
    assertEquals(
        "268435456",
        Files.readString(dir.resolve("memory.swap.max")),
        "swap alone = memsw - memory");
    assertEquals(
        "39", Files.readString(dir.resolve("cpu.weight")), "runc's shares->weight conversion");
    assertEquals("50000 100000", Files.readString(dir.resolve("cpu.max")));
    assertEquals("0-1", Files.readString(dir.resolve("cpuset.cpus")));
    assertEquals("100", Files.readString(dir.resolve("pids.max")));
    assertEquals("50", Files.readString(dir.resolve("io.weight")));
    assertEquals(
        "+cpuset +cpu +io +memory +pids +hugetlb +rdma",
        Files.readString(root.resolve("cgroup.subtree_control")));
    assertEquals(
        "+cpuset +cpu +io +memory +pids +hugetlb +rdma",
        Files.readString(root.resolve("berth/cgroup.subtree_control")));
    assertEquals(List.of("/berth"), cg.createdAncestors());
  }

  @Test
  void blockIoAndHugepagesAreWrittenWhereTheTreeHasThemAndTheRestIsRefusedByName()
      throws Exception {
    // this fake host has io (no BFQ) and 2MB huge pages, as its root's files say
    for (String f : List.of("io.weight", "io.max", "hugetlb.2MB.max")) {
      Files.writeString(root.resolve(f), "");
    }
    BlockIO io =
        new BlockIO(
            500,
            null,
            List.of(new WeightDevice(8L, 0L, 200, null, null)),
            List.of(new ThrottleDevice(8L, 0L, 1048576L, null)),
            null,
            null,
            List.of(new ThrottleDevice(8L, 16L, 100L, null)),
            null);
    driver.create(
        "/io1",
        new Resources(
            null,
            null,
            null,
            null,
            io,
            List.of(new HugepageLimit("2MB", 4194304L, null)),
            null,
            null,
            null,
            null));
    Path dir = root.resolve("io1");
    assertEquals(
        "8:0 1920", Files.readString(dir.resolve("io.weight")), "runc's 10..1000 to 1..10000");
    assertEquals("8:16 wiops=100", Files.readString(dir.resolve("io.max")), "the last io.max line");
    assertEquals("4194304", Files.readString(dir.resolve("hugetlb.2MB.max")));

    ContainerException net =
        Assertions.assertThrows(
            ContainerException.class,
            () ->
                driver.create(
                    "/net1",
                    new Resources(
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        new NetworkResources(1048577L, null, null),
                        null,
                        null,
                        null)));
    assertTrue(
        net.getMessage().startsWith("linux.resources.network: cgroup v2 has no net_cls"),
        net.getMessage());
    ContainerException huge =
        Assertions.assertThrows(
            ContainerException.class,
            () ->
                driver.create(
                    "/huge1",
                    new Resources(
                        null,
                        null,
                        null,
                        null,
                        null,
                        List.of(new HugepageLimit("1GB", 1L << 30, null)),
                        null,
                        null,
                        null,
                        null)));
    assertTrue(
        huge.getMessage()
            .startsWith(
                "linux.resources.hugepageLimits: this host's cgroup v2 has no hugetlb.1GB.max"),
        huge.getMessage());
    Memory tcp = new Memory(null, null, null, null, 1L << 20, null, null, null, null, null);
    ContainerException kernelTcp =
        Assertions.assertThrows(
            ContainerException.class,
            () -> driver.create("/tcp1", resources(tcp, null, null, null)));
    assertTrue(
        kernelTcp.getMessage().startsWith("linux.resources.memory.kernelTCP"),
        kernelTcp.getMessage());
    assertFalse(Files.exists(root.resolve("net1")), "a refused config leaves no cgroup");
    // a page size names a file: one that would name a path elsewhere is refused, nothing written
    Files.writeString(root.resolve("escape"), "");
    ContainerException path =
        Assertions.assertThrows(
            ContainerException.class,
            () ->
                driver.create(
                    "/huge2",
                    new Resources(
                        null,
                        null,
                        null,
                        null,
                        null,
                        List.of(new HugepageLimit("x/../../escape", 1L, null)),
                        null,
                        null,
                        null,
                        null)));
    assertTrue(path.getMessage().contains("is not a size such as 2MB"), path.getMessage());
    assertEquals("", Files.readString(root.resolve("escape")));
  }

  @Test
  void unlimitedValuesBecomeMax() throws Exception {
    Memory mem = new Memory(-1L, null, -1L, null, null, null, null, null, null, null);
    driver.create("/c2", resources(mem, null, new Pids(-1L, null), null));
    assertEquals("max", Files.readString(root.resolve("c2/memory.max")));
    assertEquals("max", Files.readString(root.resolve("c2/memory.swap.max")));
    assertEquals("max", Files.readString(root.resolve("c2/pids.max")));
  }

  @Test
  void freezingWritesCgroupFreezeAndReadsTheFrozenEvent() throws Exception {
    Cgroup cg = driver.create("/c3", null);
    Files.writeString(
        root.resolve("c3/cgroup.events"),
        "populated 1\nfrozen 1\n"); // what the kernel would report
    cg.freeze();
    assertEquals("1", Files.readString(root.resolve("c3/cgroup.freeze")));
    assertTrue(cg.isFrozen());
  }

  @Test
  void processesStatsAndRemoval() throws Exception {
    Cgroup cg = driver.create("/berth/c4", null);
    cg.addProcess(4242);
    assertEquals("4242", Files.readString(root.resolve("berth/c4/cgroup.procs")));
    Files.writeString(
        root.resolve("berth/c4/cpu.stat"), "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\n");
    Files.writeString(root.resolve("berth/c4/memory.current"), "4096\n");
    Files.writeString(root.resolve("berth/c4/pids.current"), "3\n");
    CgroupStats stats = cg.stats();
    assertEquals(1_500_000, stats.cpu().usage().total());
    assertEquals(4096, stats.memory().usage().usage());
    assertEquals(3, stats.pids().current());
    cg.destroy(cg.createdAncestors());
    assertFalse(Files.exists(root.resolve("berth")));
  }

  @Test
  void aBadUnifiedKeyIsRefusedAndNothingIsLeft() {
    var e =
        Assertions.assertThrows(
            ContainerException.class,
            () ->
                driver.create("/berth/c5", resources(null, null, null, Map.of("../escape", "1"))));
    assertTrue(e.getMessage().contains("\"../escape\" is not a cgroup file name"), e.getMessage());
    assertFalse(Files.exists(root.resolve("berth")));
  }

  @Test
  void aPathWithDotDotIsCreatedUnderTheRootNotBesideIt() throws Exception {
    Cgroup cg = driver.create("../../../escape/c6", null);
    assertTrue(Files.isDirectory(root.resolve("escape/c6")), "clamped below the hierarchy's root");
    assertFalse(Files.exists(root.getParent().resolve("escape")), "nothing beside the cgroup root");
    cg.destroy(cg.createdAncestors());
    assertFalse(Files.exists(root.resolve("escape")));
  }
}
