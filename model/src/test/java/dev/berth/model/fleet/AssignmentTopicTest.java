package dev.berth.model.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A forged record on berth.assignments cannot name a path outside an agent's state directory. */
class AssignmentTopicTest {
  private static Assignment assignment(String containerId, String workload) {
    return assignment(containerId, workload, 2);
  }

  private static Assignment assignment(String containerId, String workload, int replica) {
    return new Assignment(
        containerId,
        "node-1",
        workload,
        1,
        replica,
        "busybox:latest",
        List.of(),
        List.of(),
        Map.of(),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  @Test
  void aWellFormedRecordDecodesWithItsReplicaIndex() {
    Assignment a = assignment("web-1-0", "web");
    Assignment decoded = AssignmentTopic.decodeChecked("node-1/web-1-0", AssignmentTopic.encode(a));
    assertEquals(a, decoded);
    assertEquals(
        2, decoded.replica(), "carried as a field, not parsed back out of the container id");
  }

  @Test
  void aNegativeReplicaIndexIsRefused() {
    Assignment a = assignment("web-1-0", "web", -1);
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> AssignmentTopic.decodeChecked("node-1/web-1-0", AssignmentTopic.encode(a)));
    assertTrue(e.getMessage().contains("out of range"), e.getMessage());
  }

  @Test
  void aContainerIdThatClimbsIsRefused() {
    for (String id : List.of("../../../etc", "..", "a/b", "", ".hidden")) {
      Assignment a = assignment(id, "web");
      var e =
          assertThrows(
              IllegalArgumentException.class,
              () -> AssignmentTopic.decodeChecked("node-1/" + id, AssignmentTopic.encode(a)));
      assertTrue(e.getMessage().contains("is not one Berth makes"), e.getMessage());
    }
  }

  @Test
  void aKeyThatDisagreesWithItsValueIsRefused() {
    Assignment a = assignment("web-1-0", "web");
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> AssignmentTopic.decodeChecked("node-1/other", AssignmentTopic.encode(a)));
    assertTrue(e.getMessage().contains("does not match"), e.getMessage());
  }

  @Test
  void aWorkloadNameThatIsNotOneIsRefused() {
    Assignment a = assignment("web-1-0", "../x");
    assertThrows(
        IllegalArgumentException.class,
        () -> AssignmentTopic.decodeChecked("node-1/web-1-0", AssignmentTopic.encode(a)));
  }

  @Test
  void aKeyIsSplitIntoNodeAndContainerInOnePlace() {
    assertEquals("node-1", AssignmentTopic.nodeOf("node-1/web-1-0"));
    assertEquals("web-1-0", AssignmentTopic.containerOf("node-1/web-1-0"));
    assertEquals("", AssignmentTopic.nodeOf("no-slash"), "a malformed key matches no node");
    assertEquals("", AssignmentTopic.nodeOf(null));
  }
}
