package dev.berth.model.fleet;

import dev.berth.model.JsonMapping;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * How desired workloads sit on berth.workloads: one partition, compacted, key the workload's name,
 * value its spec and generation as JSON, a tombstone when it is deleted.
 */
public final class WorkloadTopic {
  public static final String TOPIC = "berth.workloads";
  public static final int PARTITIONS = 1;

  private WorkloadTopic() {}

  public static byte[] encode(StoredWorkload w) {
    try {
      return JsonMapping.mapper().writeValueAsBytes(w);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode workload " + w.spec().name(), e);
    }
  }

  public static StoredWorkload decode(byte[] value) {
    try {
      return JsonMapping.mapper().readValue(value, StoredWorkload.class);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable record on " + TOPIC, e);
    }
  }
}
