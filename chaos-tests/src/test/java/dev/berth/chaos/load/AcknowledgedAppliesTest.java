package dev.berth.chaos.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.JsonMapping;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A final state is explained by the last acknowledged call or a later one of unknown outcome;
 * anything else is a lost acknowledged write.
 */
class AcknowledgedAppliesTest {
  private static LoadOp apply(long seq, int rev, int status) {
    return new LoadOp(seq, "load-0", false, 1, rev, seq, seq + 1, status);
  }

  private static LoadOp delete(long seq, int status) {
    return new LoadOp(seq, "load-0", true, 1, 0, seq, seq + 1, status);
  }

  private static Map<String, JsonNode> at(Integer rev) throws Exception {
    Map<String, JsonNode> out = new HashMap<>();
    if (rev != null) {
      out.put(
          "load-0",
          JsonMapping.mapper().readTree("{\"replicas\":1,\"env\":{\"REV\":\"" + rev + "\"}}"));
    }
    return out;
  }

  @Test
  void theLastAcknowledgedApplyMustBeWhatTheFleetHolds() throws Exception {
    List<LoadOp> ops = List.of(apply(1, 1, 200), apply(2, 2, 200));
    assertEquals(List.of(), AcknowledgedApplies.check(ops, at(2), 1));
    assertEquals(1, AcknowledgedApplies.check(ops, at(1), 1).size(), "rev 2 was acknowledged");
    assertEquals(1, AcknowledgedApplies.check(ops, at(null), 1).size());
  }

  @Test
  void aCallWithoutAnswerMayOrMayNotHaveHappened() throws Exception {
    List<LoadOp> ops = List.of(apply(1, 1, 200), apply(2, 2, -1), delete(3, 503));
    assertEquals(List.of(), AcknowledgedApplies.check(ops, at(1), 1));
    assertEquals(List.of(), AcknowledgedApplies.check(ops, at(2), 1));
    assertEquals(List.of(), AcknowledgedApplies.check(ops, at(null), 1));
  }

  @Test
  void aRefusedCallChangesNothingAndADeleteOfNothingIsDone() throws Exception {
    List<LoadOp> ops = List.of(apply(1, 1, 200), apply(2, 2, 429));
    assertEquals(1, AcknowledgedApplies.check(ops, at(2), 1).size(), "429 was not applied");
    assertEquals(List.of(), AcknowledgedApplies.check(List.of(delete(1, 404)), at(null), 1));
  }
}
