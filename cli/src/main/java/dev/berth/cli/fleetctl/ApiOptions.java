package dev.berth.cli.fleetctl;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How a fleet command reaches the API: a client config file (default /var/lib/berth/client.json,
 * written by `berth up`), each part of which a flag or BERTH_SERVER / BERTH_TOKEN can override.
 */
public final class ApiOptions {
  @Option(
      names = "--config",
      description =
          "client config: server, CA and token (default: $BERTH_CONFIG, else "
              + "/var/lib/berth/client.json)")
  Path config;

  @Option(names = "--server", description = "the API, https://HOST:PORT (default: the config's)")
  String server;

  @Option(
      names = "--token",
      description = "bearer token (default: $BERTH_TOKEN, else the config's)")
  String token;

  @Option(
      names = "--certificate-authority",
      description = "the CA that vouches for the API (default: the config's)")
  Path certificateAuthority;

  /** The client these options and the config file describe. */
  public ApiClient client() {
    Path file = config;
    if (file == null && System.getenv("BERTH_CONFIG") != null) {
      file = Path.of(System.getenv("BERTH_CONFIG"));
    }
    if (file == null) {
      file = ClientConfig.DEFAULT;
    }
    ClientConfig base =
        Files.isReadable(file)
            ? ClientConfig.read(file)
            : new ClientConfig("https://127.0.0.1:7070", null, null);
    String t = token != null ? token : System.getenv("BERTH_TOKEN");
    String s = server != null ? server : System.getenv("BERTH_SERVER");
    return new ApiClient(
        new ClientConfig(
            s != null ? s : base.server(),
            certificateAuthority != null ? certificateAuthority : base.certificateAuthority(),
            t != null ? t : base.token()),
        file);
  }
}
