package dev.berth.controlplane.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.controlplane.auth.ApiAccess;
import dev.berth.model.pki.PemFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A credentials directory shared by control planes: a second start keeps the certificates (so no
 * control plane reads a certificate and a key from two different issues), and one with new
 * addresses gets a certificate that names them.
 */
class ApiCredentialsTest {
  @Test
  void certificatesAreKeptUntilTheyNoLongerFit(@TempDir Path dir) throws Exception {
    ApiAccess first = ApiCredentials.ensure(dir, List.of());
    String serving = Files.readString(first.servingCert());
    String proxy = Files.readString(first.proxyCert());
    ApiAccess again = ApiCredentials.ensure(dir, List.of());
    assertEquals(serving, Files.readString(again.servingCert()));
    assertEquals(proxy, Files.readString(again.proxyCert()));
    assertEquals(first.bootstrapToken(), again.bootstrapToken());

    ApiAccess moved = ApiCredentials.ensure(dir, List.of("10.1.2.3"));
    assertNotEquals(serving, Files.readString(moved.servingCert()));
    assertTrue(
        PemFiles.readCertificate(moved.servingCert())
            .getSubjectAlternativeNames()
            .toString()
            .contains("10.1.2.3"));

    // another CA in the directory (an operator replaced it): everything it signed is issued again
    Files.delete(dir.resolve("ca.crt"));
    Files.delete(dir.resolve("ca.key"));
    ApiAccess newCa = ApiCredentials.ensure(dir, List.of("10.1.2.3"));
    PemFiles.readCertificate(newCa.proxyCert())
        .verify(PemFiles.readCertificate(newCa.caCert()).getPublicKey());
  }
}
