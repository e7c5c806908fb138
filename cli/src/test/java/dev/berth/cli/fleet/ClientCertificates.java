package dev.berth.cli.fleet;

import dev.berth.model.pki.CertificateAuthority;
import dev.berth.model.pki.PemFiles;
import dev.berth.model.pki.TrustedCa;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;

/**
 * Client certificates from a fleet's CA for tests: a monitor's (may scrape a node's metrics) or
 * anyone's with the organization a test needs, and a JDK HTTP client that shows it.
 */
final class ClientCertificates {
  private ClientCertificates() {}

  /**
   * A JDK HTTP client showing a client certificate for {@code org}, issued by the CA in {@code
   * caDir}.
   */
  static HttpClient client(Path caDir, String org, Path out) {
    CertificateAuthority ca = CertificateAuthority.openOrCreate(caDir);
    KeyPair pair = CertificateAuthority.newKeyPair();
    Path cert = out.resolve(org.replace(':', '-') + ".crt");
    Path key = out.resolve(org.replace(':', '-') + ".key");
    PemFiles.write(key, PemFiles.pem(pair.getPrivate()), true);
    PemFiles.write(
        cert, PemFiles.pem(ca.issue("test-client", org, pair.getPublic(), List.of(), true)), false);
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .sslContext(TrustedCa.sslContext(caDir.resolve("ca.crt"), cert, key))
        .build();
  }

  /** A JDK HTTP client that trusts the fleet's CA but shows no certificate. */
  static HttpClient anonymous(Path caDir) {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .sslContext(TrustedCa.sslContext(caDir.resolve("ca.crt")))
        .build();
  }
}
