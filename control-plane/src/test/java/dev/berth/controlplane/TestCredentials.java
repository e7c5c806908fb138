package dev.berth.controlplane;

import dev.berth.controlplane.auth.ApiAccess;
import dev.berth.controlplane.pki.ApiCredentials;
import dev.berth.embedded.EmbeddedKafkaBroker;
import dev.berth.model.fleet.KafkaAccess;
import dev.berth.model.pki.CertificateAuthority;
import dev.berth.model.pki.TrustedCa;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A control plane's credentials for a test (CA, serving certificate, admin token) and clients. */
public final class TestCredentials {
  private TestCredentials() {}

  public static ApiAccess in(Path dir) {
    return ApiCredentials.ensure(dir, List.of());
  }

  /** An embedded Kafka broker with data in {@code data} and a certificate of the fleet's CA. */
  public static EmbeddedKafkaBroker broker(Path data, ApiAccess access) throws Exception {
    return EmbeddedKafkaBroker.start(data, 0, CertificateAuthority.openOrCreate(access.dir()));
  }

  /** The control plane's way into {@code broker}. */
  public static KafkaAccess kafka(ApiAccess access, EmbeddedKafkaBroker broker) {
    return access.kafka(broker.bootstrapServers());
  }

  /** A JDK HTTP client that trusts the fleet's CA (and only it). */
  public static HttpClient http(ApiAccess access) {
    return HttpClient.newBuilder()
        .sslContext(TrustedCa.sslContext(access.caCert()))
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  /** A Vert.x web client that trusts the fleet's CA (and only it). */
  public static WebClient web(Vertx vertx, ApiAccess access) {
    return WebClient.create(
        vertx,
        new WebClientOptions()
            .setSsl(true)
            .setVerifyHost(true)
            .setTrustOptions(new PemTrustOptions().addCertPath(access.caCert().toString())));
  }
}
