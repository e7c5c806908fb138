package dev.berth.chaos.load;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks the load's calls against what the fleet holds at the end: for each workload, its final
 * state must be what its last acknowledged call made it, or what a later call of unknown outcome
 * (no answer, a server error) made it. Anything else lost an acknowledged write.
 */
public final class AcknowledgedApplies {
  /** A workload whose final state no acknowledged or possible call explains. */
  public record Loss(String workload, String expected, String found) {}

  private AcknowledgedApplies() {}

  /**
   * The losses, given every call and the final specs by workload name (absent: not there), each
   * spec as the API returns it.
   */
  public static List<Loss> check(
      List<LoadOp> ops, Map<String, JsonNode> finalSpecs, int workloads) {
    List<Loss> out = new ArrayList<>();
    for (int i = 0; i < workloads; i++) {
      String w = LoadGenerator.PREFIX + i;
      List<LoadOp> mine = ops.stream().filter(o -> o.workload().equals(w)).toList();
      int lastAck = -1;
      for (int k = 0; k < mine.size(); k++) {
        if (mine.get(k).acknowledged()) {
          lastAck = k;
        }
      }
      List<Optional<LoadOp>> allowed = new ArrayList<>(); // empty: absent
      if (lastAck < 0) {
        allowed.add(Optional.empty());
      } else {
        LoadOp acked = mine.get(lastAck);
        allowed.add(acked.delete() ? Optional.empty() : Optional.of(acked));
      }
      for (int k = lastAck + 1; k < mine.size(); k++) {
        LoadOp o = mine.get(k);
        if (o.ambiguous()) {
          allowed.add(o.delete() ? Optional.empty() : Optional.of(o));
        }
      }
      JsonNode found = finalSpecs.get(w);
      boolean explained =
          allowed.stream()
              .anyMatch(
                  a ->
                      a.isEmpty()
                          ? found == null
                          : found != null
                              && found.path("replicas").asInt(1) == a.get().replicas()
                              && found
                                  .path("env")
                                  .path("REV")
                                  .asText()
                                  .equals(Integer.toString(a.get().revision())));
      if (!explained) {
        out.add(
            new Loss(
                w,
                allowed.stream()
                    .map(a -> a.map(o -> "rev " + o.revision()).orElse("absent"))
                    .toList()
                    .toString(),
                found == null
                    ? "absent"
                    : "rev "
                        + found.path("env").path("REV").asText()
                        + ", replicas "
                        + found.path("replicas").asInt(1)));
      }
    }
    return out;
  }
}
