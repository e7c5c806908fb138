package dev.berth.agent.local;

/** The network a local container joins: as Podman's --network. */
public enum LocalNetwork {
  /** Its own namespace on the local bridge (the default): an address, masquerading out. */
  BRIDGE,
  /** The host's network namespace. */
  HOST,
  /** Its own namespace with only loopback. */
  NONE;

  /** The mode named {@code name} (bridge, host, none), or an error naming the choices. */
  public static LocalNetwork parse(String name) {
    for (LocalNetwork n : values()) {
      if (n.name().equalsIgnoreCase(name)) {
        return n;
      }
    }
    throw new IllegalArgumentException("--network: " + name + " is not one of bridge, host, none");
  }
}
