package dev.berth.agent.network.cni;

/**
 * A CNI operation that failed: which network and plugin, which command, and why (the plugin's own
 * error code and message when it gave one).
 */
public final class CniException extends Exception {
  private final Integer code;

  public CniException(String message) {
    this(message, null, null);
  }

  public CniException(String message, Integer code, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** The plugin's CNI error code, or null when the failure was not the plugin's answer. */
  public Integer code() {
    return code;
  }
}
