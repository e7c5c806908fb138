package dev.berth.chaos.lab;

import java.nio.file.Path;

/**
 * How a lab fleet is built: how many agents, the node and scheduler lease, where its state goes,
 * and whether that state is kept after it stops (for a look at the logs).
 */
public record LabConfig(int agents, long leaseMillis, Path workDir, boolean keep) {
  public LabConfig {
    if (agents < 2 || agents > 8) {
      throw new IllegalArgumentException("a lab has 2 to 8 agents, not " + agents);
    }
    if (leaseMillis < 1000 || leaseMillis > 60_000) {
      throw new IllegalArgumentException("a lease of 1 s to 60 s, not " + leaseMillis + " ms");
    }
  }
}
