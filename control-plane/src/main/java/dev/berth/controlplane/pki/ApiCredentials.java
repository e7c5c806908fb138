package dev.berth.controlplane.pki;

import dev.berth.controlplane.auth.ApiAccess;
import dev.berth.controlplane.auth.TokenSecrets;
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
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A control plane's credentials directory: the fleet's CA (created on first use, shared by every
 * control plane that is given a copy), the API's serving certificate (issued afresh at every start
 * for the addresses it is reached at), the client certificate it shows nodes, and the bootstrap
 * admin token (admin.token, root only).
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
        CertificateAuthority ca = CertificateAuthority.openOrCreate(dir, "berth-ca");
        LinkedHashSet<String> names = new LinkedHashSet<>(List.of("127.0.0.1", "localhost"));
        names.addAll(hosts);
        KeyPair pair = CertificateAuthority.newKeyPair();
        PemFiles.write(dir.resolve(ApiAccess.SERVING_KEY), PemFiles.pem(pair.getPrivate()), true);
        PemFiles.write(
            dir.resolve(ApiAccess.SERVING_CERT),
            PemFiles.pem(
                ca.issue("berth-api", null, pair.getPublic(), new ArrayList<>(names), false)),
            false);
        KeyPair proxy = CertificateAuthority.newKeyPair();
        PemFiles.write(dir.resolve(ApiAccess.PROXY_KEY), PemFiles.pem(proxy.getPrivate()), true);
        PemFiles.write(
            dir.resolve(ApiAccess.PROXY_CERT),
            PemFiles.pem(
                ca.issue(
                    "berth-control-plane",
                    FleetIdentities.CONTROL_PLANES,
                    proxy.getPublic(),
                    List.of(),
                    true)),
            false);
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
}
