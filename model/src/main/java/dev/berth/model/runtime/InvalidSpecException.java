package dev.berth.model.runtime;

/** A bundle configuration that cannot be used, with every reason found. */
public class InvalidSpecException extends Exception {
  public InvalidSpecException(String message) {
    super(message);
  }
}
