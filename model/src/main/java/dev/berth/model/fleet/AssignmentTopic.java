package dev.berth.model.fleet;

import dev.berth.model.runtime.OciJson;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * How assignments sit on berth.assignments: key "node/container", the partition chosen by the node (so an
 * agent reads one partition and finds exactly its own desired set), and the value as JSON.
 */
public final class AssignmentTopic {
  public static final String TOPIC = "berth.assignments";
  public static final int PARTITIONS = 16;

  private AssignmentTopic() {}

  public static String key(String node, String containerId) {
    return node + "/" + containerId;
  }

  public static String nodeOf(String key) {
    return key.substring(0, key.indexOf('/'));
  }

  public static int partitionOf(String node) {
    return (node.hashCode() & 0x7fffffff) % PARTITIONS;
  }

  public static byte[] encode(Assignment a) {
    try {
      return OciJson.mapper().writeValueAsBytes(a);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Assignment decode(byte[] value) {
    try {
      return OciJson.mapper().readValue(value, Assignment.class);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable record on " + TOPIC, e);
    }
  }
}
