package dev.berth.chaos.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.chaos.lab.Lab;
import dev.berth.chaos.lab.LabApi;
import dev.berth.chaos.observe.ContainerRun;
import dev.berth.chaos.observe.ReplicaIdentity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The desired workloads as the API holds them, and what of the observed running containers no
 * desired workload explains (orphans): a deleted workload's, a replica beyond the count, an older
 * generation than the workload's, or a second container of one replica identity.
 */
public record FleetState(Map<String, JsonNode> workloads) {
  /** The API's workloads (null when no control plane answered). */
  public static FleetState read(Lab lab) throws InterruptedException {
    LabApi.Answer a = lab.api().sendAny("GET", "/v1/workloads", null);
    if (a == null || !a.ok()) {
      return null;
    }
    Map<String, JsonNode> out = new HashMap<>();
    for (JsonNode w : a.body().path("items")) {
      out.put(w.path("name").asText(), w);
    }
    return new FleetState(out);
  }

  /** The specs by workload name. */
  public Map<String, JsonNode> specs() {
    Map<String, JsonNode> out = new HashMap<>();
    workloads.forEach((name, w) -> out.put(name, w.path("spec")));
    return out;
  }

  /** The workloads that ask for at-most-one replica identity ({@code replicaIdentity: unique}). */
  public java.util.Set<String> unique() {
    java.util.Set<String> out = new java.util.HashSet<>();
    workloads.forEach(
        (name, w) -> {
          if (w.path("spec").path("replicaIdentity").asText("").equals("unique")) {
            out.add(name);
          }
        });
    return out;
  }

  /** The running containers no desired workload explains, each with why. */
  public List<String> orphans(List<ContainerRun> running) {
    List<String> out = new ArrayList<>();
    Map<ReplicaIdentity, List<ContainerRun>> byIdentity = new HashMap<>();
    for (ContainerRun r : running) {
      JsonNode w = workloads.get(r.identity().workload());
      if (w == null) {
        out.add(r.containerId() + " on " + r.node() + ": its workload is deleted");
      } else if (r.identity().replica() >= w.path("spec").path("replicas").asInt(1)) {
        out.add(r.containerId() + " on " + r.node() + ": beyond the replica count");
      } else if (r.generation() < w.path("generation").asLong()) {
        out.add(r.containerId() + " on " + r.node() + ": an older generation");
      } else {
        byIdentity.computeIfAbsent(r.identity(), i -> new ArrayList<>()).add(r);
      }
    }
    byIdentity.forEach(
        (identity, runs) -> {
          for (ContainerRun extra : runs.subList(1, runs.size())) {
            out.add(
                extra.containerId()
                    + " on "
                    + extra.node()
                    + ": "
                    + identity
                    + " runs "
                    + runs.size()
                    + " times");
          }
        });
    return out;
  }
}
