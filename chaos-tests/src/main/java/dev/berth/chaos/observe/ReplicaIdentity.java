package dev.berth.chaos.observe;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which replica of which workload a container is (the scheduler's ids are
 * WORKLOAD-gGENERATION-rREPLICA): what must not run twice at once for unique workloads.
 */
public record ReplicaIdentity(String workload, int replica) {
  private static final Pattern ID = Pattern.compile("^(.+)-g(\\d{1,18})-r(\\d{1,9})$");

  /** The identity and generation of a fleet container's id; empty for any other container. */
  public static Optional<Parsed> parse(String containerId) {
    Matcher m = ID.matcher(containerId);
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(
        new Parsed(
            new ReplicaIdentity(m.group(1), Integer.parseInt(m.group(3))),
            Long.parseLong(m.group(2))));
  }

  /** An identity and the generation of the spec it runs. */
  public record Parsed(ReplicaIdentity identity, long generation) {}

  @Override
  public String toString() {
    return workload + "#" + replica;
  }
}
