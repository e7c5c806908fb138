package dev.berth.controlplane.auth;

import dev.berth.model.fleet.KafkaAccess;
import dev.berth.model.pki.CertificateAuthority;
import dev.berth.model.pki.TlsFiles;
import java.nio.file.Path;

/**
 * How the API is reached and guarded, all kept in one credentials directory: the fleet's CA (what
 * clients trust, and what signs the nodes' certificates), the API's serving certificate, the client
 * certificate the control plane shows nodes, the request log; plus the bootstrap admin token it
 * makes sure of at start and the rate limits per token.
 */
public record ApiAccess(Path dir, String bootstrapToken, RateLimits limits) {
  public static final String CA_CERT = CertificateAuthority.CERT_FILE;
  public static final String CA_KEY = CertificateAuthority.KEY_FILE;
  public static final String SERVING_CERT = "api.crt";
  public static final String SERVING_KEY = "api.key";
  public static final String PROXY_CERT = "proxy.crt";
  public static final String PROXY_KEY = "proxy.key";
  public static final String ADMIN_TOKEN = "admin.token";
  public static final String REQUEST_LOG = "api-requests";

  /** Requests per second and bursts, per token, of each limited kind. */
  public record RateLimits(
      double applyPerSecond, int applyBurst, double execPerSecond, int execBurst) {
    /**
     * Generous for people and pipelines (a burst of 50 applies, 20 a second), tight enough that one
     * token cannot flood Kafka or a node with execs.
     */
    public static final RateLimits DEFAULT = new RateLimits(20, 50, 5, 10);
  }

  public ApiAccess withLimits(RateLimits l) {
    return new ApiAccess(dir, bootstrapToken, l);
  }

  public Path caCert() {
    return dir.resolve(CA_CERT);
  }

  public Path caKey() {
    return dir.resolve(CA_KEY);
  }

  public Path servingCert() {
    return dir.resolve(SERVING_CERT);
  }

  public Path servingKey() {
    return dir.resolve(SERVING_KEY);
  }

  /** The certificate the control plane shows a node's API (mutual TLS). */
  public Path proxyCert() {
    return dir.resolve(PROXY_CERT);
  }

  public Path proxyKey() {
    return dir.resolve(PROXY_KEY);
  }

  /**
   * The control plane's identity among the fleet's peers (O=berth:control-planes): what it shows a
   * node's API and Kafka.
   */
  public TlsFiles controlPlaneIdentity() {
    return new TlsFiles(caCert(), proxyCert(), proxyKey());
  }

  /** How this control plane reaches Kafka at {@code bootstrapServers}: mutual TLS as itself. */
  public KafkaAccess kafka(String bootstrapServers) {
    return KafkaAccess.mutualTls(bootstrapServers, controlPlaneIdentity());
  }

  /** The request log's files are this path with .N.log appended. */
  public Path requestLog() {
    return dir.resolve(REQUEST_LOG);
  }
}
