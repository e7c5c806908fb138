package dev.berth.controlplane.pki;

import dev.berth.controlplane.auth.ApiAccess;
import dev.berth.controlplane.auth.TokenSecrets;
import dev.berth.model.pki.CertificateAuthority;
import dev.berth.model.pki.FleetIdentities;
import dev.berth.model.pki.PemFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A control plane's credentials directory: the fleet's CA (created on first use, shared by every
 * control plane that is given a copy), the API's serving certificate (for the addresses it is
 * reached at), the client certificate it shows nodes, and the bootstrap admin token (admin.token,
 * root only). A certificate is issued again only when it is missing, not the CA's, names too few
 * addresses or has less than 30 days left, so control planes sharing the directory never swap a
 * certificate under one another between reading it and its key.
 */
public final class ApiCredentials {
  private ApiCredentials() {}

  /**
   * The credentials in {@code dir}, with a serving certificate for {@code hosts} plus 127.0.0.1 and
   * localhost; whatever is missing is created. Control planes sharing {@code dir} take turns.
   */
  public static ApiAccess ensure(Path dir, List<String> hosts) {
    try {
      Files.createDirectories(dir);
      try (FileChannel ch =
              FileChannel.open(
                  dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = ch.lock()) {
        CertificateAuthority ca = CertificateAuthority.openOrCreate(dir);
        LinkedHashSet<String> names = new LinkedHashSet<>(List.of("127.0.0.1", "localhost"));
        names.addAll(hosts);
        issueUnlessCurrent(
            ca,
            dir.resolve(ApiAccess.SERVING_CERT),
            dir.resolve(ApiAccess.SERVING_KEY),
            "berth-api",
            null,
            new ArrayList<>(names),
            false);
        issueUnlessCurrent(
            ca,
            dir.resolve(ApiAccess.PROXY_CERT),
            dir.resolve(ApiAccess.PROXY_KEY),
            "berth-control-plane",
            FleetIdentities.CONTROL_PLANES,
            List.of(),
            true);
        Path tokenFile = dir.resolve(ApiAccess.ADMIN_TOKEN);
        if (!Files.exists(tokenFile)) {
          PemFiles.write(tokenFile, TokenSecrets.newSecret() + "\n", true);
        }
        String token = Files.readString(tokenFile, StandardCharsets.UTF_8).trim();
        if (!TokenSecrets.wellFormed(token)) {
          throw new IllegalStateException(
              tokenFile + " does not hold a Berth token (berth_ and 43 characters)");
        }
        return new ApiAccess(dir, token, ApiAccess.RateLimits.DEFAULT);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot set up the API's credentials in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** A certificate with less time left than this is renewed at the next start. */
  private static final Duration RENEW_BEFORE = Duration.ofDays(30);

  private static void issueUnlessCurrent(
      CertificateAuthority ca,
      Path cert,
      Path key,
      String commonName,
      String organization,
      List<String> hosts,
      boolean client) {
    if (current(ca, cert, key, hosts)) {
      return;
    }
    KeyPair pair = CertificateAuthority.newKeyPair();
    PemFiles.write(key, PemFiles.pem(pair.getPrivate()), true);
    PemFiles.write(
        cert,
        PemFiles.pem(ca.issue(commonName, organization, pair.getPublic(), hosts, client)),
        false);
  }

  private static boolean current(
      CertificateAuthority ca, Path certFile, Path keyFile, List<String> hosts) {
    if (!Files.exists(certFile) || !Files.exists(keyFile)) {
      return false;
    }
    try {
      X509Certificate cert = PemFiles.readCertificate(certFile);
      cert.verify(ca.certificate().getPublicKey());
      cert.checkValidity(Date.from(Instant.now().plus(RENEW_BEFORE)));
      Set<String> named = new HashSet<>();
      if (cert.getSubjectAlternativeNames() != null) {
        cert.getSubjectAlternativeNames().forEach(n -> named.add(String.valueOf(n.get(1))));
      }
      return named.containsAll(hosts);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false; // unreadable, another CA's, or about to expire: issue a new one
    }
  }
}
