package dev.berth.cli.fleet;

import dev.berth.agent.network.DefaultNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The pod range of a `berth up` fleet: picked once, where no route of the host is, and kept in the
 * state directory, so that a restarted fleet hands out the same addresses (its running containers
 * keep theirs).
 */
final class ClusterRange {
  static final String FILE = "cluster-cidr";

  private ClusterRange() {}

  static String of(Path stateDir) throws IOException {
    Path f = stateDir.resolve(FILE);
    if (Files.exists(f)) {
      return Files.readString(f).strip();
    }
    String range = DefaultNetwork.freeRange();
    Files.writeString(f, range + "\n");
    return range;
  }
}
