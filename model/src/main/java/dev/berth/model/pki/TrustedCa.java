package dev.berth.model.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TLS client context that trusts only the fleet's CA (not the system's roots), as kubectl trusts
 * the CA in its kubeconfig.
 */
public final class TrustedCa {
  private TrustedCa() {}

  public static SSLContext sslContext(Path caCert) {
    return sslContext(caCert, null, null);
  }

  /**
   * The same, also showing the certificate {@code cert} with its key {@code key} (PEM) to servers
   * that ask for one (mutual TLS); without them ({@code null}) it shows none.
   */
  public static SSLContext sslContext(Path caCert, Path cert, Path key) {
    try {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry("berth-ca", PemFiles.readCertificate(caCert));
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      KeyManagerFactory kmf = null;
      if (cert != null) {
        KeyStore own = KeyStore.getInstance("PKCS12");
        own.load(null, null);
        own.setKeyEntry(
            "berth",
            PemFiles.readPrivateKey(key),
            new char[0],
            new Certificate[] {PemFiles.readCertificate(cert)});
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(own, new char[0]);
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "cannot trust the CA in " + caCert + ": " + e.getMessage(), e);
    }
  }
}
