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
}
