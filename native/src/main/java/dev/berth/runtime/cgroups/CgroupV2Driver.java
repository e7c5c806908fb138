package dev.berth.runtime.cgroups;

import dev.berth.model.runtime.Cpu;
import dev.berth.model.runtime.DeviceRule;
import dev.berth.model.runtime.Memory;
import dev.berth.model.runtime.Resources;
import dev.berth.runtime.ContainerException;
import dev.berth.runtime.cgroups.devices.DefaultDevices;
import dev.berth.runtime.cgroups.devices.DeviceFilterAttachment;
import dev.berth.runtime.cgroups.devices.DeviceFilterProgram;
import dev.berth.runtime.files.IoFailure;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The cgroup v2 driver: one unified tree; limits converted from the spec's v1-shaped values as runc
 * does.
 */
public final class CgroupV2Driver implements CgroupDriver {
  private static final List<String> WANTED =
      List.of("cpuset", "cpu", "io", "memory", "pids", "hugetlb", "rdma");
  private final Path root;
  private final boolean fakeTree;

  /**
   * A driver on the unified tree at {@code root}; a root that is not cgroup2fs is treated as a fake
   * tree for tests.
   */
  public CgroupV2Driver(Path root) {
    this.root = root;
    this.fakeTree = !isCgroup2Fs(root);
  }

  @Override
  public String version() {
    return "v2";
  }

  private Path dirOf(String path) {
    return CgroupPaths.under(root, path);
  }

  @Override
  public Cgroup create(String requested, Resources resources) throws ContainerException {
    String path = CgroupPaths.clean(requested);
    List<String> available =
        Arrays.asList(CgroupFiles.read(root.resolve("cgroup.controllers")).split("\\s+"));
    String enable =
        WANTED.stream()
            .filter(available::contains)
            .map(c -> "+" + c)
            .collect(Collectors.joining(" "));
    List<String> created = new ArrayList<>();
    return BaseCgroup.create(
        new V2Cgroup(path, created),
        created,
        () -> {
          String current = "";
          Path parent = root;
          for (String part : path.split("/")) {
            if (part.isEmpty()) {
              continue;
            }
            // Controllers must be enabled in each parent's subtree before a child can use them.
            if (!enable.isEmpty()) {
              CgroupFiles.write(parent.resolve("cgroup.subtree_control"), enable);
            }
            current = current + "/" + part;
            Path dir = dirOf(current);
            if (!Files.isDirectory(dir)) {
              try {
                Files.createDirectory(dir);
                created.add(current);
              } catch (FileAlreadyExistsException e) {
                // made by a concurrent create
              } catch (IOException e) {
                throw new ContainerException(
                    "cannot create cgroup " + dir + ": " + IoFailure.reason(e));
              }
            }
            parent = dir;
          }
        },
        resources);
  }

  @Override
  public Cgroup open(String path) {
    return new V2Cgroup(path, List.of());
  }

  @Override
  public Map<String, Path> containerView(String path) {
    return Map.of("", dirOf(path));
  }

  /** runc's conversion of cpu.shares (2..262144) to cpu.weight (1..10000). */
  static long sharesToWeight(long shares) {
    return shares == 0 ? 0 : 1 + ((shares - 2) * 9999) / 262142;
  }

  private final class V2Cgroup extends BaseCgroup {
    V2Cgroup(String path, List<String> created) {
      super(path, created);
    }

    private void write(String file, String value) throws ContainerException {
      CgroupFiles.write(dirOf(path).resolve(file), value);
    }

    @Override
    public void addProcess(int pid) throws ContainerException {
      write("cgroup.procs", Integer.toString(pid));
    }

    @Override
    public void apply(Resources r) throws ContainerException {
      Memory mem = r.memory();
      if (mem != null) {
        if (mem.limit() != null) {
          write("memory.max", mem.limit() < 0 ? "max" : Long.toString(mem.limit()));
        }
        if (mem.reservation() != null) {
          write("memory.low", mem.reservation() < 0 ? "max" : Long.toString(mem.reservation()));
        }
        if (mem.swap() != null) {
          // The spec's swap is memory+swap (v1 memsw); v2 limits swap alone.
          String swap =
              mem.swap() < 0
                  ? "max"
                  : Long.toString(
                      Math.max(
                          0,
                          mem.swap() - (mem.limit() == null || mem.limit() < 0 ? 0 : mem.limit())));
          write("memory.swap.max", swap);
        }
        if (Boolean.TRUE.equals(mem.disableOOMKiller())) {
          write("memory.oom.group", "0");
        }
      }
      Cpu cpu = r.cpu();
      if (cpu != null) {
        if (cpu.shares() != null && cpu.shares() != 0) {
          write("cpu.weight", Long.toString(sharesToWeight(cpu.shares())));
        }
        if ((cpu.quota() != null && cpu.quota() != 0)
            || (cpu.period() != null && cpu.period() != 0)) {
          String quota =
              cpu.quota() == null || cpu.quota() <= 0 ? "max" : Long.toString(cpu.quota());
          long period = cpu.period() == null || cpu.period() == 0 ? 100_000 : cpu.period();
          write("cpu.max", quota + " " + period);
        }
        if (cpu.idle() != null && cpu.idle() != 0) {
          write("cpu.idle", Long.toString(cpu.idle()));
        }
        if (cpu.cpus() != null && !cpu.cpus().isEmpty()) {
          write("cpuset.cpus", cpu.cpus());
        }
        if (cpu.mems() != null && !cpu.mems().isEmpty()) {
          write("cpuset.mems", cpu.mems());
        }
      }
      if (r.pids() != null && r.pids().limit() != null) {
        long limit = r.pids().limit();
        write("pids.max", limit <= 0 ? "max" : Long.toString(limit));
      }
      if (r.unified() != null) {
        for (Map.Entry<String, String> e : r.unified().entrySet()) {
          if (e.getKey().contains("/") || e.getKey().startsWith(".")) {
            throw new ContainerException(
                "linux.resources.unified: \"" + e.getKey() + "\" is not a cgroup file name");
          }
          write(e.getKey(), e.getValue());
        }
      }
      LessCommonLimits.applyV2(
          r,
          new LessCommonLimits.Target() {
            @Override
            public boolean has(String controller, String file) {
              // a fake tree's directories are plain ones: its root lists the files it has
              return Files.exists(dirOf(path).resolve(file))
                  || (fakeTree && Files.exists(root.resolve(file)));
            }

            @Override
            public void write(String controller, String file, String value)
                throws ContainerException {
              V2Cgroup.this.write(file, value);
            }

            @Override
            public String version() {
              return "cgroup v2";
            }
          });
      if (r.devices() != null && !r.devices().isEmpty()) {
        // v2 has no devices files: an eBPF program does what v1's devices.allow/deny do, with the
        // devices every container may use after the config's own rules, as on v1.
        List<DeviceRule> rules = new ArrayList<>(r.devices());
        rules.addAll(DefaultDevices.RULES);
        try {
          DeviceFilterAttachment.attach(dirOf(path), DeviceFilterProgram.compile(rules));
        } catch (IllegalArgumentException e) {
          throw new ContainerException(e.getMessage());
        }
      }
    }

    @Override
    public void freeze() throws ContainerException {
      setFrozen(true);
    }

    @Override
    public void thaw() throws ContainerException {
      setFrozen(false);
    }

    private void setFrozen(boolean frozen) throws ContainerException {
      write("cgroup.freeze", frozen ? "1" : "0");
      if (pollUntil(() -> isFrozen() == frozen)) {
        return;
      }
      throw new ContainerException(
          "cgroup " + path + " did not become " + (frozen ? "frozen" : "thawed"));
    }

    @Override
    public boolean isFrozen() {
      return CgroupFiles.readKeyed(dirOf(path).resolve("cgroup.events")).getOrDefault("frozen", 0L)
          == 1L;
    }

    @Override
    public List<Integer> pids() {
      String procs = CgroupFiles.read(dirOf(path).resolve("cgroup.procs"));
      return procs.isEmpty() ? List.of() : procs.lines().map(Integer::parseInt).toList();
    }

    @Override
    public CgroupStats stats() {
      Path dir = dirOf(path);
      Map<String, Long> cpuStat = CgroupFiles.readKeyed(dir.resolve("cpu.stat"));
      CgroupStats.Cpu cpu =
          new CgroupStats.Cpu(
              new CgroupStats.Usage(
                  cpuStat.getOrDefault("usage_usec", 0L) * 1000,
                  cpuStat.getOrDefault("system_usec", 0L) * 1000,
                  cpuStat.getOrDefault("user_usec", 0L) * 1000),
              new CgroupStats.Throttling(
                  cpuStat.getOrDefault("nr_periods", 0L),
                  cpuStat.getOrDefault("nr_throttled", 0L),
                  cpuStat.getOrDefault("throttled_usec", 0L) * 1000));
      Map<String, Long> events = CgroupFiles.readKeyed(dir.resolve("memory.events"));
      CgroupStats.Memory memory =
          new CgroupStats.Memory(
              new CgroupStats.MemoryEntry(
                  CgroupFiles.readLong(dir.resolve("memory.max")),
                  CgroupFiles.readLong(dir.resolve("memory.current")),
                  CgroupFiles.readLong(dir.resolve("memory.peak")),
                  events.getOrDefault("max", 0L)),
              new CgroupStats.MemoryEntry(
                  CgroupFiles.readLong(dir.resolve("memory.swap.max")),
                  CgroupFiles.readLong(dir.resolve("memory.swap.current")),
                  -1,
                  0),
              CgroupFiles.readKeyed(dir.resolve("memory.stat")));
      CgroupStats.Pids pids =
          new CgroupStats.Pids(
              CgroupFiles.readLong(dir.resolve("pids.current")),
              CgroupFiles.readLong(dir.resolve("pids.max")));
      return new CgroupStats(cpu, memory, pids);
    }

    @Override
    public void destroy(List<String> createdAncestors) throws ContainerException {
      clearFakeFiles(dirOf(path));
      CgroupFiles.rmdir(dirOf(path));
      removeCreated(createdAncestors);
    }

    @Override
    void removeCreated(List<String> all) {
      deepestFirst(
          all,
          a -> {
            clearFakeFiles(dirOf(a));
            CgroupFiles.rmdirIfEmpty(dirOf(a));
          });
    }
  }

  private static boolean isCgroup2Fs(Path root) {
    try {
      return Files.getFileStore(root).type().equals("cgroup2");
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * On cgroupfs the control files vanish with the directory; on a fake tree they must be removed
   * first.
   */
  private void clearFakeFiles(Path dir) {
    if (fakeTree) {
      deleteFiles(dir);
    }
  }

  private static void deleteFiles(Path dir) {
    try (var files = Files.list(dir)) {
      files
          .filter(Files::isRegularFile)
          .forEach(
              f -> {
                try {
                  Files.delete(f);
                } catch (IOException ignored) {
                  // left for rmdir to report
                }
              });
    } catch (IOException ignored) {
      // no directory
    }
  }
}
