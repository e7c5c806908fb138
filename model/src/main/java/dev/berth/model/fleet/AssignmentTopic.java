package dev.berth.model.fleet;

import dev.berth.model.JsonMapping;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.regex.Pattern;

/**
 * How assignments sit in Kafka: one compacted topic per node, berth.assignments.NODE (so Kafka's
 * ACLs, which are per topic, can let a node read its own desired set and nothing else), key
 * "node/container", the value as JSON.
 */
public final class AssignmentTopic {
  /** Every node's assignments topic starts with this. */
  public static final String PREFIX = "berth.assignments.";

  private AssignmentTopic() {}

  public static String key(String node, String containerId) {
    return node + "/" + containerId;
  }

  /** The node part of a key; "" for a key that is not "node/container" (so it matches no node). */
  public static String nodeOf(String key) {
    int slash = key == null ? -1 : key.indexOf('/');
    return slash < 0 ? "" : key.substring(0, slash);
  }

  /** The container part of a key; "" for a key that is not "node/container". */
  public static String containerOf(String key) {
    int slash = key == null ? -1 : key.indexOf('/');
    return slash < 0 ? "" : key.substring(slash + 1);
  }

  /** Whether {@code name} can name a node (and so its topics). */
  public static boolean isNodeName(String name) {
    return name != null && NODE.matcher(name).matches();
  }

  /** Node {@code node}'s assignments topic (one partition). */
  public static String topicOf(String node) {
    if (!isNodeName(node)) {
      throw new InvalidAssignmentException("node \"" + node + "\" is not a node name");
    }
    return PREFIX + node;
  }

  /** The node whose assignments topic {@code topic} is; "" for any other topic. */
  public static String nodeOfTopic(String topic) {
    return topic != null && topic.startsWith(PREFIX) ? topic.substring(PREFIX.length()) : "";
  }

  public static byte[] encode(Assignment a) {
    try {
      return JsonMapping.mapper().writeValueAsBytes(a);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Assignment decode(byte[] value) {
    try {
      return JsonMapping.mapper().readValue(value, Assignment.class);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable assignment record", e);
    }
  }

  /** A container id as Berth makes them; also what may name a directory of the agent's state. */
  private static final Pattern CONTAINER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

  /** Node names as topic names may hold them (249 characters, the prefix's 18 included). */
  private static final Pattern NODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,230}");

  /**
   * Decodes a record an agent is about to act on and checks it as strictly as the API checks a
   * workload: a forged record (anyone who can write to the topic) must not name a path outside the
   * state directory. The key must agree with the value.
   */
  public static Assignment decodeChecked(String key, byte[] value) {
    Assignment a = decode(value);
    requireContainerId(a.containerId());
    if (a.node() == null || !NODE.matcher(a.node()).matches()) {
      throw new InvalidAssignmentException("node \"" + a.node() + "\" is not a node name");
    }
    if (!key(a.node(), a.containerId()).equals(key)) {
      throw new InvalidAssignmentException(
          "key \"" + key + "\" does not match the record's node/containerId");
    }
    if (a.workload() == null || !WorkloadSpecs.isValidName(a.workload())) {
      throw new InvalidAssignmentException(
          "workload \"" + a.workload() + "\" is not a workload name");
    }
    if (a.generation() < 1 || a.replica() < 0) {
      throw new InvalidAssignmentException(
          "container "
              + a.containerId()
              + ": generation "
              + a.generation()
              + " or replica "
              + a.replica()
              + " out of range");
    }
    if (a.image() == null || a.image().isBlank() || a.image().length() > 4096) {
      throw new InvalidAssignmentException(
          "container " + a.containerId() + ": no usable image reference");
    }
    return a;
  }

  /** Throws unless {@code id} can be a container id (and so a directory name) of Berth's. */
  public static void requireContainerId(String id) {
    if (id == null || !CONTAINER_ID.matcher(id).matches()) {
      throw new InvalidAssignmentException("container id \"" + id + "\" is not one Berth makes");
    }
  }

  /** A record on berth.assignments that an agent refuses to act on. */
  public static final class InvalidAssignmentException extends IllegalArgumentException {
    InvalidAssignmentException(String message) {
      super("refused assignment record: " + message);
    }
  }
}
