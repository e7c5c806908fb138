package dev.berth.agent.images.registry;

/**
 * A registry request that failed: which request, which status, and the registry's own error text.
 */
public class RegistryException extends Exception {
  private final int status;

  public RegistryException(String message, int status) {
    super(message);
    this.status = status;
  }

  public RegistryException(String message, Throwable cause) {
    super(message, cause);
    this.status = 0;
  }

  public int status() {
    return status;
  }
}
