package dev.berth.agent.local;

import dev.berth.model.network.PortMapping;
import java.util.List;
import java.util.Map;

/**
 * What `berth run` asks for: the image, a command replacing its Cmd (empty: the image's), env over
 * the image's, a name (null: the short id), whether the container is removed once it exits, whether
 * its stdio is a terminal, and its network.
 */
public record RunRequest(
    String image,
    List<String> command,
    Map<String, String> env,
    String name,
    boolean autoRemove,
    boolean terminal,
    LocalNetwork network,
    List<PortMapping> ports) {
  public RunRequest {
    ports = ports == null ? List.of() : List.copyOf(ports);
    if (!ports.isEmpty() && network != LocalNetwork.BRIDGE) {
      throw new IllegalArgumentException(
          "-p publishes ports of a container on the bridge, not with --network "
              + network.name().toLowerCase(java.util.Locale.ROOT));
    }
  }
}
