package dev.berth.cli.fleetctl;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.JsonMapping;
import dev.berth.model.pki.PemFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * What the berth command needs to reach a fleet, as kubectl's kubeconfig holds it: the API's
 * address, the CA that vouches for it, and a bearer token. `berth up` and `berth control-plane`
 * write one (root only) for the fleet's admin.
 */
public record ClientConfig(String server, Path certificateAuthority, String token) {
  /** Where `berth up` writes it under its state directory, and where the CLI looks by default. */
  public static final String FILE = "client.json";

  public static final Path DEFAULT = Path.of("/var/lib/berth", FILE);

  public static ClientConfig read(Path file) {
    try {
      JsonNode n = JsonMapping.mapper().readTree(file.toFile());
      String ca = n.path("certificateAuthority").asText(null);
      return new ClientConfig(
          n.path("server").asText(null),
          ca == null ? null : file.toAbsolutePath().getParent().resolve(ca),
          n.path("token").asText(null));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read client config " + file + ": " + e.getMessage(), e);
    }
  }

  /** Writes this config to {@code file}, readable by its owner only (it holds a token). */
  public void write(Path file) {
    var n = JsonMapping.mapper().createObjectNode().put("server", server);
    if (certificateAuthority != null) {
      n.put("certificateAuthority", certificateAuthority.toAbsolutePath().toString());
    }
    if (token != null) {
      n.put("token", token);
    }
    PemFiles.write(file, n.toPrettyString() + "\n", true);
  }
}
