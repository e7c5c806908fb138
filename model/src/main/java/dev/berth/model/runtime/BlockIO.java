package dev.berth.model.runtime;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.berth.model.UnknownFields;
import java.util.List;
import java.util.Map;

/** linux.resources.blockIO: the block I/O weights and throttles (blkio on cgroup v1, io on v2). */
public record BlockIO(
    Integer weight,
    Integer leafWeight,
    List<WeightDevice> weightDevice,
    List<ThrottleDevice> throttleReadBpsDevice,
    List<ThrottleDevice> throttleWriteBpsDevice,
    List<ThrottleDevice> throttleReadIOPSDevice,
    List<ThrottleDevice> throttleWriteIOPSDevice,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public BlockIO {
    extra = UnknownFields.copy(extra);
  }
}
