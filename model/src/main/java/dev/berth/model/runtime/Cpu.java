package dev.berth.model.runtime;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.berth.model.UnknownFields;
import java.util.Map;

/** CPU cgroup limits. */
public record Cpu(
    Long shares,
    Long quota,
    Long burst,
    Long period,
    Long realtimeRuntime,
    Long realtimePeriod,
    String cpus,
    String mems,
    Long idle,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public Cpu {
    extra = UnknownFields.copy(extra);
  }

  /**
   * CFS bandwidth of {@code millicores} thousandths of a CPU, over the kernel's default 100 ms
   * period.
   */
  public static Cpu millicores(long millicores) {
    return new Cpu(null, millicores * 100, null, 100_000L, null, null, null, null, null, null);
  }

  /** These limits with what {@code c} sets instead (an update: what it leaves null stays). */
  public Cpu updatedWith(Cpu c) {
    if (c == null) {
      return this;
    }
    return new Cpu(
        c.shares != null ? c.shares : shares,
        c.quota != null ? c.quota : quota,
        c.burst != null ? c.burst : burst,
        c.period != null ? c.period : period,
        c.realtimeRuntime != null ? c.realtimeRuntime : realtimeRuntime,
        c.realtimePeriod != null ? c.realtimePeriod : realtimePeriod,
        c.cpus != null ? c.cpus : cpus,
        c.mems != null ? c.mems : mems,
        c.idle != null ? c.idle : idle,
        extra);
  }
}
