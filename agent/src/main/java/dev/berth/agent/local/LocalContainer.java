package dev.berth.agent.local;

import dev.berth.model.network.PortMapping;
import java.util.List;

/**
 * A local container as `berth ps` lists it, kept beside its bundle: its id (64 hex), name, image,
 * command, creation time, whether it goes once it exits ({@code --rm}), its network and the ports
 * it publishes.
 */
public record LocalContainer(
    String id,
    String name,
    String image,
    List<String> command,
    String created,
    boolean autoRemove,
    LocalNetwork network,
    List<PortMapping> ports) {
  public LocalContainer {
    ports = ports == null ? List.of() : List.copyOf(ports);
  }

  /** Its published ports as `berth ps` shows them: 0.0.0.0:8080->80/tcp, ... */
  public String portsText() {
    StringBuilder b = new StringBuilder();
    for (PortMapping p : ports) {
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append(p.hostIP() == null ? "0.0.0.0" : p.hostIP())
          .append(':')
          .append(p.hostPort())
          .append("->")
          .append(p.containerPort())
          .append('/')
          .append(p.protocol());
    }
    return b.toString();
  }

  /** The short id `berth ps` shows, as Docker's and Podman's: the first 12 hex digits. */
  public String shortId() {
    return id.substring(0, 12);
  }
}
