package dev.berth.model.runtime;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.berth.model.UnknownFields;
import java.util.List;
import java.util.Map;

/** The cgroup resource limits of the container. */
public record Resources(
    List<DeviceRule> devices,
    Memory memory,
    Cpu cpu,
    Pids pids,
    BlockIO blockIO,
    List<HugepageLimit> hugepageLimits,
    NetworkResources network,
    Map<String, RdmaLimit> rdma,
    Map<String, String> unified,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public Resources {
    extra = UnknownFields.copy(extra);
  }

  public Resources withMemory(Memory m) {
    return new Resources(
        devices, m, cpu, pids, blockIO, hugepageLimits, network, rdma, unified, extra);
  }

  public Resources withPids(Pids p) {
    return new Resources(
        devices, memory, cpu, p, blockIO, hugepageLimits, network, rdma, unified, extra);
  }

  public Resources withDevices(List<DeviceRule> rules) {
    return new Resources(
        rules, memory, cpu, pids, blockIO, hugepageLimits, network, rdma, unified, extra);
  }

  public Resources withCpu(Cpu c) {
    return new Resources(
        devices, memory, c, pids, blockIO, hugepageLimits, network, rdma, unified, extra);
  }

  /** No limits at all. */
  public static Resources none() {
    return new Resources(null, null, null, null, null, null, null, null, null, null);
  }

  /**
   * These resources as `runc update` leaves them after {@code c}: each limit {@code c} sets
   * replaces this one's, the rest stay (devices are not updated, as with runc).
   */
  public Resources updatedWith(Resources c) {
    java.util.Map<String, String> u = new java.util.LinkedHashMap<>();
    if (unified != null) {
      u.putAll(unified);
    }
    if (c.unified != null) {
      u.putAll(c.unified);
    }
    return new Resources(
        devices,
        memory == null ? c.memory : memory.updatedWith(c.memory),
        cpu == null ? c.cpu : cpu.updatedWith(c.cpu),
        c.pids != null ? c.pids : pids,
        c.blockIO != null ? c.blockIO : blockIO,
        c.hugepageLimits != null ? c.hugepageLimits : hugepageLimits,
        c.network != null ? c.network : network,
        c.rdma != null ? c.rdma : rdma,
        u.isEmpty() ? null : u,
        extra);
  }
}
