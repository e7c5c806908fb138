package dev.berth.controlplane.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.JsonMapping;
import dev.berth.model.fleet.SchedulingStatus;
import dev.berth.model.fleet.StoredWorkload;

/**
 * A workload as the API shows it (name, generation, times, spec, and the scheduler's status of that
 * generation): the REST answers and the watch stream use the same shape.
 */
public final class WorkloadViews {
  private WorkloadViews() {}

  public static ObjectNode describe(StoredWorkload w) {
    ObjectNode out = JsonMapping.mapper().createObjectNode();
    out.put("name", w.spec().name());
    out.put("generation", w.generation());
    if (w.createdAtMillis() != null) {
      out.put("createdAtMillis", w.createdAtMillis());
      out.put("updatedAtMillis", w.updatedAtMillis());
    }
    if (w.source() != null) {
      out.put("source", w.source()); // the GitOps source that manages it
    }
    out.set("spec", JsonMapping.mapper().valueToTree(w.spec()));
    return out;
  }

  /** {@code out} with {@code status} added when it is about the workload's current generation. */
  public static ObjectNode withStatus(ObjectNode out, StoredWorkload w, SchedulingStatus status) {
    if (status != null && status.generation() == w.generation()) {
      out.set("status", JsonMapping.mapper().valueToTree(status));
    }
    return out;
  }
}
