package dev.berth.agent.images.unpack;

/** A layer that could not be unpacked, naming the layer and, where one is to blame, the entry. */
public class LayerException extends Exception {
  public LayerException(String message) {
    super(message);
  }

  public LayerException(String message, Throwable cause) {
    super(message, cause);
  }
}
