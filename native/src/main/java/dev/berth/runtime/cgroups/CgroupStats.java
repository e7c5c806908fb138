package dev.berth.runtime.cgroups;

import java.util.Map;

/**
 * A snapshot of a cgroup's memory, cpu and pids accounting, shaped like runc's events --stats data.
 */
public record CgroupStats(Cpu cpu, Memory memory, Pids pids) {
  /** CPU time in nanoseconds. */
  public record Cpu(Usage usage, Throttling throttling) {}

  public record Usage(long total, long kernel, long user) {}

  public record Throttling(long periods, long throttledPeriods, long throttledTime) {}

  /** Memory in bytes; raw holds the controller's own memory.stat keys. */
  public record Memory(MemoryEntry usage, MemoryEntry swap, Map<String, Long> raw) {}

  public record MemoryEntry(long limit, long usage, long max, long failcnt) {}

  public record Pids(long current, long limit) {}
}
