package dev.berth.controlplane.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TLS client context that trusts only the fleet's CA (not the system's roots), as kubectl trusts
 * the CA in its kubeconfig.
 */
public final class TrustedCa {
  private TrustedCa() {}

  public static SSLContext sslContext(Path caCert) {
    try {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry("berth-ca", PemFiles.readCertificate(caCert));
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "cannot trust the CA in " + caCert + ": " + e.getMessage(), e);
    }
  }
}
