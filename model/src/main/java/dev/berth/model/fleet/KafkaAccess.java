package dev.berth.model.fleet;

import dev.berth.model.pki.TlsFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * How a process reaches Kafka: the brokers and who it is to them. Berth's brokers speak only TLS
 * and ask every client for a certificate of the fleet's CA (mutual TLS); the broker's ACLs are
 * written for the principal that certificate maps to (see {@link KafkaPrincipals}).
 */
public record KafkaAccess(String bootstrapServers, Map<String, String> security) {
  public KafkaAccess {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("Kafka bootstrap servers are required (host:port)");
    }
    security = Map.copyOf(security);
  }

  /**
   * Mutual TLS with {@code identity}: the client trusts only its CA (and checks the broker's name
   * against the address it dialled) and shows its certificate. PEM is given inline, so Kafka never
   * needs a keystore file or password.
   */
  public static KafkaAccess mutualTls(String bootstrapServers, TlsFiles identity) {
    return new KafkaAccess(
        bootstrapServers,
        Map.of(
            "security.protocol", "SSL",
            "ssl.truststore.type", "PEM",
            "ssl.truststore.certificates", read(identity.ca()),
            "ssl.keystore.type", "PEM",
            "ssl.keystore.certificate.chain", read(identity.cert()),
            "ssl.keystore.key", read(identity.key()),
            "ssl.endpoint.identification.algorithm", "https"));
  }

  /** The client properties: bootstrap servers and security. */
  public Properties properties() {
    Properties p = new Properties();
    p.setProperty("bootstrap.servers", bootstrapServers);
    security.forEach(p::setProperty);
    return p;
  }

  private static String read(Path pem) {
    try {
      return Files.readString(pem, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + pem + " for Kafka's TLS: " + e, e);
    }
  }

  @Override
  public String toString() {
    // never the key
    return "KafkaAccess["
        + bootstrapServers
        + ", "
        + security.getOrDefault("security.protocol", "PLAINTEXT")
        + "]";
  }
}
