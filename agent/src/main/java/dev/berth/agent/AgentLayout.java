package dev.berth.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where one node agent keeps what it owns, below its state directory, and the cgroup its containers
 * sit in: the one place that knows this layout (the agent, its reconciler and launcher, and berth
 * down use it).
 */
public record AgentLayout(Path stateDir, String nodeName) {
  private static final String FLEET_DIR_PREFIX = "agent-";

  /**
   * The agent of node {@code nodeName} in a single-machine fleet's state directory ("agent-NODE").
   */
  public static AgentLayout inFleet(Path fleetStateDir, String nodeName) {
    return new AgentLayout(fleetStateDir.resolve(FLEET_DIR_PREFIX + nodeName), nodeName);
  }

  /** Every agent found in a fleet's state directory. */
  public static List<AgentLayout> foundIn(Path fleetStateDir) throws IOException {
    try (Stream<Path> dirs = Files.list(fleetStateDir)) {
      return dirs.filter(Files::isDirectory)
          .filter(d -> d.getFileName().toString().startsWith(FLEET_DIR_PREFIX))
          .map(
              d ->
                  new AgentLayout(
                      d, d.getFileName().toString().substring(FLEET_DIR_PREFIX.length())))
          .toList();
    }
  }

  /** The image store: names, blobs, partial downloads. */
  public Path images() {
    return stateDir.resolve("images");
  }

  /** Unpacked layers and each container's rootfs. */
  public Path snapshots() {
    return stateDir.resolve("snapshots");
  }

  /** The runtime's state root. */
  public Path runtime() {
    return stateDir.resolve("runtime");
  }

  /** One directory per container: its bundle (config.json), logs and restart count. */
  public Path bundles() {
    return stateDir.resolve("bundles");
  }

  /** What the agent set up for its pod network (see PodNetwork), for `berth down` to undo. */
  public Path podNetwork() {
    return stateDir.resolve("pod-network.json");
  }

  /** host-local's address leases on the node's own network. */
  public Path ipam() {
    return stateDir.resolve("cni/networks");
  }

  /**
   * The deadline (CLOCK_MONOTONIC ms) until which the node holds its lease, as the agent last
   * renewed it: the watchdog of every unique container reads it.
   */
  public Path leaseDeadline() {
    return stateDir.resolve("lease-deadline");
  }

  public Path bundle(String containerId) {
    return bundles().resolve(containerId);
  }

  /**
   * Every container of this node sits below this cgroup, so two agents on one machine never
   * collide.
   */
  public String cgroupParent() {
    return "/berth-node-" + nodeName;
  }
}
