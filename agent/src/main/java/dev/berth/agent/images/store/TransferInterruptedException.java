package dev.berth.agent.images.store;

/** A blob transfer that broke off; what arrived is kept, and the next ingest resumes from there. */
public class TransferInterruptedException extends ContentStoreException {
  public TransferInterruptedException(String message, Throwable cause) {
    super(message, cause);
  }
}
