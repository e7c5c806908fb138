package dev.berth.agent.node.tls;

import dev.berth.model.pki.TlsFiles;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A node's TLS files, in its state directory's pki/: its certificate and key (issued by the fleet's
 * CA when it joined) and the CA's certificate, which is all it trusts.
 */
public record NodeTls(Path cert, Path key, Path ca) {
  public static NodeTls in(Path dir) {
    return new NodeTls(dir.resolve("node.crt"), dir.resolve("node.key"), dir.resolve("ca.crt"));
  }

  /** The same files as an identity: the node's to Kafka and the control planes. */
  public TlsFiles files() {
    return new TlsFiles(ca, cert, key);
  }

  /** Whether the node has joined (all three files are there). */
  public boolean present() {
    return Files.exists(cert) && Files.exists(key) && Files.exists(ca);
  }
}
