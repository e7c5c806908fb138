package dev.berth.controlplane.gitops;

/**
 * One problem in a source's manifests: the file (relative to the repository), the document in it
 * (1-based), the line (1-based, 0 when unknown), the field (a JSON path, or "(document)") and what.
 */
public record ManifestError(String file, int document, int line, String field, String message) {
  @Override
  public String toString() {
    return file
        + (document > 0 ? ": document " + document : "")
        + (line > 0 ? ", line " + line : "")
        + ": "
        + field
        + ": "
        + message;
  }
}
