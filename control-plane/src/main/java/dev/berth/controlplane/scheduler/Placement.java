package dev.berth.controlplane.scheduler;

/**
 * One replica of one workload generation, placed on a node; the container id is stable for all
 * three.
 */
public record Placement(
    String containerId, String workload, long generation, int replica, String node) {
  public static String containerId(String workload, long generation, int replica) {
    return workload + "-g" + generation + "-r" + replica;
  }

  /** The replica index a container id names, or -1 when it is not one this scheduler gave. */
  public static int replicaOf(String containerId) {
    int at = containerId.lastIndexOf("-r");
    if (at < 0 || at + 2 == containerId.length() || containerId.length() - at > 11) {
      return -1;
    }
    for (int i = at + 2; i < containerId.length(); i++) {
      char c = containerId.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
    }
    return Integer.parseInt(containerId.substring(at + 2));
  }
}
