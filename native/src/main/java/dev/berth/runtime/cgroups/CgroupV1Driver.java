package dev.berth.runtime.cgroups;

import dev.berth.model.runtime.Cpu;
import dev.berth.model.runtime.DeviceRule;
import dev.berth.model.runtime.Memory;
import dev.berth.model.runtime.Resources;
import dev.berth.runtime.ContainerException;
import dev.berth.runtime.cgroups.devices.DefaultDevices;
import dev.berth.runtime.files.IoFailure;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cgroup v1 driver: one directory per hierarchy, limits written in each controller's own files.
 */
public final class CgroupV1Driver implements CgroupDriver {
  private final List<CgroupHierarchies.Hierarchy> hierarchies;

  public CgroupV1Driver(List<CgroupHierarchies.Hierarchy> hierarchies) {
    this.hierarchies = List.copyOf(hierarchies);
  }

  @Override
  public String version() {
    return "v1";
  }

  @Override
  public Cgroup create(String requested, Resources resources) throws ContainerException {
    String path = CgroupPaths.clean(requested);
    List<String> created = new ArrayList<>();
    return BaseCgroup.create(
        new V1Cgroup(path, created),
        created,
        () -> {
          for (CgroupHierarchies.Hierarchy h : hierarchies) {
            for (int attempt = 0; ; attempt++) {
              try {
                makeDirs(h, path, created);
                break;
              } catch (ParentRemovedException e) {
                if (attempt == 10) {
                  throw new ContainerException(e.getMessage());
                }
              }
            }
          }
        },
        resources);
  }

  /** A parent directory vanished while creating: the caller retries. */
  private static final class ParentRemovedException extends ContainerException {
    ParentRemovedException(String message) {
      super(message);
    }
  }

  private void makeDirs(CgroupHierarchies.Hierarchy h, String path, List<String> created)
      throws ContainerException {
    String current = "";
    for (String part : path.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      current = current + "/" + part;
      Path dir = dirOf(h, current);
      if (Files.isDirectory(dir)) {
        continue;
      }
      try {
        Files.createDirectory(dir);
      } catch (FileAlreadyExistsException e) {
        continue;
      } catch (NoSuchFileException e) {
        // Another container's delete removed the (empty) parent just now: start again from the top.
        throw new ParentRemovedException(
            "cannot create cgroup " + dir + ": its parent was removed meanwhile");
      } catch (IOException e) {
        throw new ContainerException("cannot create cgroup " + dir + ": " + IoFailure.reason(e));
      }
      if (!created.contains(current)) {
        created.add(current);
      }
      if (h.controllers().contains("cpuset")) {
        // A new cpuset cgroup starts with no cpus or mems, and then refuses every process.
        Path parent = dir.getParent();
        CgroupFiles.write(
            dir.resolve("cpuset.cpus"), CgroupFiles.read(parent.resolve("cpuset.cpus")));
        CgroupFiles.write(
            dir.resolve("cpuset.mems"), CgroupFiles.read(parent.resolve("cpuset.mems")));
      }
    }
  }

  private static Path dirOf(CgroupHierarchies.Hierarchy h, String path) {
    return CgroupPaths.under(h.mountPoint(), path);
  }

  @Override
  public Cgroup open(String path) {
    return new V1Cgroup(path, List.of());
  }

  @Override
  public Map<String, Path> containerView(String path) {
    Map<String, Path> view = new LinkedHashMap<>();
    for (CgroupHierarchies.Hierarchy h : hierarchies) {
      view.put(h.mountPoint().getFileName().toString(), dirOf(h, path));
    }
    return view;
  }

  private Path controllerDir(String controller, String path) {
    for (CgroupHierarchies.Hierarchy h : hierarchies) {
      if (h.controllers().contains(controller)) {
        return dirOf(h, path);
      }
    }
    return null;
  }

  private final class V1Cgroup extends BaseCgroup {
    V1Cgroup(String path, List<String> created) {
      super(path, created);
    }

    @Override
    public void addProcess(int pid) throws ContainerException {
      for (CgroupHierarchies.Hierarchy h : hierarchies) {
        CgroupFiles.write(dirOf(h, path).resolve("cgroup.procs"), Integer.toString(pid));
      }
    }

    private void write(String controller, String file, String value) throws ContainerException {
      Path dir = controllerDir(controller, path);
      if (dir == null) {
        throw new ContainerException(
            "cgroup v1 controller \""
                + controller
                + "\" is not mounted on this host"
                + " (needed for "
                + file
                + ")");
      }
      CgroupFiles.write(dir.resolve(file), value);
    }

    @Override
    public void apply(Resources r) throws ContainerException {
      Memory mem = r.memory();
      if (mem != null) {
        if (mem.limit() != null) {
          write("memory", "memory.limit_in_bytes", Long.toString(mem.limit()));
        }
        if (mem.reservation() != null) {
          write("memory", "memory.soft_limit_in_bytes", Long.toString(mem.reservation()));
        }
        if (mem.swap() != null) {
          write("memory", "memory.memsw.limit_in_bytes", Long.toString(mem.swap()));
        }
        if (mem.swappiness() != null && mem.swappiness() >= 0) {
          write("memory", "memory.swappiness", Long.toString(mem.swappiness()));
        }
        if (Boolean.TRUE.equals(mem.disableOOMKiller())) {
          write("memory", "memory.oom_control", "1");
        }
      }
      Cpu cpu = r.cpu();
      if (cpu != null) {
        if (cpu.shares() != null && cpu.shares() != 0) {
          write("cpu", "cpu.shares", Long.toString(cpu.shares()));
        }
        if (cpu.period() != null && cpu.period() != 0) {
          write("cpu", "cpu.cfs_period_us", Long.toString(cpu.period()));
        }
        if (cpu.quota() != null && cpu.quota() != 0) {
          write("cpu", "cpu.cfs_quota_us", Long.toString(cpu.quota()));
        }
        if (cpu.realtimePeriod() != null && cpu.realtimePeriod() != 0) {
          write("cpu", "cpu.rt_period_us", Long.toString(cpu.realtimePeriod()));
        }
        if (cpu.realtimeRuntime() != null && cpu.realtimeRuntime() != 0) {
          write("cpu", "cpu.rt_runtime_us", Long.toString(cpu.realtimeRuntime()));
        }
        if (cpu.cpus() != null && !cpu.cpus().isEmpty()) {
          write("cpuset", "cpuset.cpus", cpu.cpus());
        }
        if (cpu.mems() != null && !cpu.mems().isEmpty()) {
          write("cpuset", "cpuset.mems", cpu.mems());
        }
      }
      if (r.pids() != null && r.pids().limit() != null) {
        long limit = r.pids().limit();
        write("pids", "pids.max", limit <= 0 ? "max" : Long.toString(limit));
      }
      if (r.devices() != null && !r.devices().isEmpty()) {
        for (DeviceRule rule : r.devices()) {
          write(
              "devices",
              Boolean.TRUE.equals(rule.allow()) ? "devices.allow" : "devices.deny",
              DefaultDevices.v1Line(rule));
        }
        for (DeviceRule rule : DefaultDevices.RULES) {
          write("devices", "devices.allow", DefaultDevices.v1Line(rule));
        }
      }
      if (r.unified() != null && !r.unified().isEmpty()) {
        throw new ContainerException(
            "linux.resources.unified needs cgroup v2; this host runs cgroup v1");
      }
      LessCommonLimits.applyV1(
          r,
          new LessCommonLimits.Target() {
            @Override
            public boolean has(String controller, String file) {
              Path dir = controllerDir(controller, path);
              return dir != null && Files.exists(dir.resolve(file));
            }

            @Override
            public void write(String controller, String file, String value)
                throws ContainerException {
              V1Cgroup.this.write(controller, file, value);
            }

            @Override
            public String version() {
              return "cgroup v1";
            }
          });
    }

    @Override
    public void freeze() throws ContainerException {
      setFreezer("FROZEN");
    }

    @Override
    public void thaw() throws ContainerException {
      setFreezer("THAWED");
    }

    private void setFreezer(String target) throws ContainerException {
      Path dir = controllerDir("freezer", path);
      if (dir == null) {
        throw new ContainerException("cgroup v1 freezer is not mounted: cannot pause or resume");
      }
      Path state = dir.resolve("freezer.state");
      // Written again on every try, as runc does: tasks forking while FREEZING can stall a freeze.
      if (pollUntil(() -> writes(state, target) && CgroupFiles.read(state).equals(target))) {
        return;
      }
      throw new ContainerException("freezer of cgroup " + path + " did not reach " + target);
    }

    private static boolean writes(Path file, String value) {
      try {
        CgroupFiles.write(file, value);
        return true;
      } catch (ContainerException e) {
        return false;
      }
    }

    @Override
    public boolean isFrozen() {
      Path dir = controllerDir("freezer", path);
      return dir != null && CgroupFiles.read(dir.resolve("freezer.state")).equals("FROZEN");
    }

    @Override
    public List<Integer> pids() {
      Path dir = dirOf(hierarchies.get(0), path);
      Path pidsDir = controllerDir("pids", path);
      String procs = CgroupFiles.read((pidsDir != null ? pidsDir : dir).resolve("cgroup.procs"));
      return procs.isEmpty() ? List.of() : procs.lines().map(Integer::parseInt).toList();
    }

    @Override
    public CgroupStats stats() {
      Path cpuacct = controllerDir("cpuacct", path);
      Path cpuDir = controllerDir("cpu", path);
      Path mem = controllerDir("memory", path);
      Path pids = controllerDir("pids", path);
      Map<String, Long> cpuStat =
          cpuDir == null ? Map.of() : CgroupFiles.readKeyed(cpuDir.resolve("cpu.stat"));
      long total = cpuacct == null ? 0 : CgroupFiles.readLong(cpuacct.resolve("cpuacct.usage"));
      long user =
          cpuacct == null
              ? 0
              : Math.max(0, CgroupFiles.readLong(cpuacct.resolve("cpuacct.usage_user")));
      long sys =
          cpuacct == null
              ? 0
              : Math.max(0, CgroupFiles.readLong(cpuacct.resolve("cpuacct.usage_sys")));
      CgroupStats.Cpu cpu =
          new CgroupStats.Cpu(
              new CgroupStats.Usage(total, sys, user),
              new CgroupStats.Throttling(
                  cpuStat.getOrDefault("nr_periods", 0L),
                  cpuStat.getOrDefault("nr_throttled", 0L),
                  cpuStat.getOrDefault("throttled_time", 0L)));
      CgroupStats.Memory memory =
          mem == null
              ? null
              : new CgroupStats.Memory(
                  new CgroupStats.MemoryEntry(
                      CgroupFiles.readLong(mem.resolve("memory.limit_in_bytes")),
                      CgroupFiles.readLong(mem.resolve("memory.usage_in_bytes")),
                      CgroupFiles.readLong(mem.resolve("memory.max_usage_in_bytes")),
                      CgroupFiles.readLong(mem.resolve("memory.failcnt"))),
                  new CgroupStats.MemoryEntry(
                      CgroupFiles.readLong(mem.resolve("memory.memsw.limit_in_bytes")),
                      CgroupFiles.readLong(mem.resolve("memory.memsw.usage_in_bytes")),
                      CgroupFiles.readLong(mem.resolve("memory.memsw.max_usage_in_bytes")),
                      CgroupFiles.readLong(mem.resolve("memory.memsw.failcnt"))),
                  CgroupFiles.readKeyed(mem.resolve("memory.stat")));
      CgroupStats.Pids p =
          pids == null
              ? null
              : new CgroupStats.Pids(
                  CgroupFiles.readLong(pids.resolve("pids.current")),
                  CgroupFiles.readLong(pids.resolve("pids.max")));
      return new CgroupStats(cpu, memory, p);
    }

    @Override
    public void destroy(List<String> createdAncestors) throws ContainerException {
      for (CgroupHierarchies.Hierarchy h : hierarchies) {
        CgroupFiles.rmdir(dirOf(h, path));
        deepestFirst(createdAncestors, a -> CgroupFiles.rmdirIfEmpty(dirOf(h, a)));
      }
    }

    @Override
    void removeCreated(List<String> created) {
      for (CgroupHierarchies.Hierarchy h : hierarchies) {
        deepestFirst(created, a -> CgroupFiles.rmdirIfEmpty(dirOf(h, a)));
      }
    }
  }
}
