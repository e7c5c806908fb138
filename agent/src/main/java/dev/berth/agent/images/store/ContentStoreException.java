package dev.berth.agent.images.store;

/** A blob that could not be stored or read, with its digest and the reason. */
public class ContentStoreException extends Exception {
  public ContentStoreException(String message) {
    super(message);
  }

  public ContentStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
