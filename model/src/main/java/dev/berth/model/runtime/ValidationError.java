package dev.berth.model.runtime;

/** One thing wrong with a document: where (a JSON path) and what. */
public record ValidationError(String path, String message) {
  @Override
  public String toString() {
    return path + ": " + message;
  }
}
