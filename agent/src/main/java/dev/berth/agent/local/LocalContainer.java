package dev.berth.agent.local;

import java.util.List;

/**
 * A local container as `berth ps` lists it, kept beside its bundle: its id (64 hex), name, image,
 * command, creation time, whether it goes once it exits ({@code --rm}) and its network.
 */
public record LocalContainer(
    String id,
    String name,
    String image,
    List<String> command,
    String created,
    boolean autoRemove,
    LocalNetwork network) {

  /** The short id `berth ps` shows, as Docker's and Podman's: the first 12 hex digits. */
  public String shortId() {
    return id.substring(0, 12);
  }
}
