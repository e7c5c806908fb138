package dev.berth.model.fleet;

/**
 * How assignments sit on berth.assignments: key "node/container", and the partition chosen by the node, so
 * that an agent reads one partition and finds exactly its own desired set.
 */
public final class AssignmentKeys {
  public static final String TOPIC = "berth.assignments";
  public static final int PARTITIONS = 16;

  private AssignmentKeys() {}

  public static String key(String node, String containerId) {
    return node + "/" + containerId;
  }

  public static String nodeOf(String key) {
    return key.substring(0, key.indexOf('/'));
  }

  public static int partitionOf(String node) {
    return (node.hashCode() & 0x7fffffff) % PARTITIONS;
  }
}
