package dev.berth.controlplane.pki;

import dev.berth.controlplane.auth.ApiAccess;
import dev.berth.controlplane.auth.TokenSecrets;
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
 * for the addresses it is reached at), and the bootstrap admin token (admin.token, root only).
 */
public final class ApiCredentials {
  public static final String SERVING_CERT = "api.crt";
  public static final String SERVING_KEY = "api.key";
  public static final String ADMIN_TOKEN = "admin.token";
  public static final String REQUEST_LOG = "api-requests";

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
        PemFiles.write(dir.resolve(SERVING_KEY), PemFiles.pem(pair.getPrivate()), true);
        PemFiles.write(
            dir.resolve(SERVING_CERT),
            PemFiles.pem(
                ca.issue("berth-api", null, pair.getPublic(), new ArrayList<>(names), false)),
            false);
        Path tokenFile = dir.resolve(ADMIN_TOKEN);
        if (!Files.exists(tokenFile)) {
          PemFiles.write(tokenFile, TokenSecrets.newSecret() + "\n", true);
        }
        String token = Files.readString(tokenFile, StandardCharsets.UTF_8).trim();
        if (!TokenSecrets.wellFormed(token)) {
          throw new IllegalStateException(
              tokenFile + " does not hold a Berth token (berth_ and 43 characters)");
        }
        return new ApiAccess(
            dir.resolve(CertificateAuthority.CERT_FILE),
            dir.resolve(SERVING_CERT),
            dir.resolve(SERVING_KEY),
            token,
            ApiAccess.RateLimits.DEFAULT,
            dir.resolve(REQUEST_LOG));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot set up the API's credentials in " + dir + ": " + e.getMessage(), e);
    }
  }
}
