package dev.berth.runtime;

/** An operation named a container id the runtime does not know. */
public class ContainerNotFoundException extends ContainerException {
  public ContainerNotFoundException(String id) {
    super("container \"" + id + "\" does not exist");
  }
}
