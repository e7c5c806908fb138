package dev.berth.model.runtime;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.berth.model.UnknownFields;
import java.util.Map;

/** Memory cgroup limits, in bytes. */
public record Memory(
    Long limit,
    Long reservation,
    Long swap,
    Long kernel,
    Long kernelTCP,
    Long swappiness,
    Boolean disableOOMKiller,
    Boolean useHierarchy,
    Boolean checkBeforeUpdate,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public Memory {
    extra = UnknownFields.copy(extra);
  }

  /** A hard limit of {@code bytes} with no swap beyond it (runc's memory+swap equal to memory). */
  public static Memory limitWithoutSwap(long bytes) {
    return new Memory(bytes, null, bytes, null, null, null, null, null, null, null);
  }

  /** These limits with what {@code c} sets instead (an update: what it leaves null stays). */
  public Memory updatedWith(Memory c) {
    if (c == null) {
      return this;
    }
    return new Memory(
        c.limit != null ? c.limit : limit,
        c.reservation != null ? c.reservation : reservation,
        c.swap != null ? c.swap : swap,
        c.kernel != null ? c.kernel : kernel,
        c.kernelTCP != null ? c.kernelTCP : kernelTCP,
        c.swappiness != null ? c.swappiness : swappiness,
        c.disableOOMKiller != null ? c.disableOOMKiller : disableOOMKiller,
        c.useHierarchy != null ? c.useHierarchy : useHierarchy,
        c.checkBeforeUpdate != null ? c.checkBeforeUpdate : checkBeforeUpdate,
        extra);
  }
}
