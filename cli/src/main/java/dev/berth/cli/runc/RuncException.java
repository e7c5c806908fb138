package dev.berth.cli.runc;

/** A command-line level failure with the message runc users would expect. */
public class RuncException extends Exception {
  public RuncException(String message) {
    super(message);
  }
}
