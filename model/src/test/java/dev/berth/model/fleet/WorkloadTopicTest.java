package dev.berth.model.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A stored workload survives the trip through berth.workloads; a record that is not one is named as
 * such.
 */
class WorkloadTopicTest {
  @Test
  void aStoredWorkloadRoundTripsWithItsGeneration() throws Exception {
    WorkloadSpec spec =
        WorkloadSpecs.read(
            "{\"name\":\"web\",\"image\":\"busybox\",\"replicas\":3}"
                .getBytes(StandardCharsets.UTF_8),
            false);
    StoredWorkload w = new StoredWorkload(spec, 7);
    assertEquals(w, WorkloadTopic.decode(WorkloadTopic.encode(w)));
  }

  @Test
  void anUnreadableRecordNamesTheTopic() {
    var e =
        assertThrows(
            UncheckedIOException.class, () -> WorkloadTopic.decode("{not json".getBytes()));
    assertEquals("unreadable record on berth.workloads", e.getMessage());
  }
}
