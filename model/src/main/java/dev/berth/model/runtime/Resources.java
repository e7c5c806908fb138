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
}
