package dev.berth.runtime;

/** A runtime operation that failed, with the container id and what went wrong. */
public class ContainerException extends Exception {
  public ContainerException(String message) {
    super(message);
  }

  public ContainerException(String message, Throwable cause) {
    super(message, cause);
  }
}
