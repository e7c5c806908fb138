package dev.berth.agent.network;

import java.io.IOException;

/** Starts the node's name server on an address containers can reach (their network's gateway). */
public interface NameServers {
  /** No name server: containers resolve through the host's resolv.conf. */
  NameServers NONE = address -> false;

  /**
   * Makes sure a name server answers on {@code address}:53; true when one does (started now or
   * before), false when this node runs none.
   */
  boolean ensureOn(String address) throws IOException;
}
