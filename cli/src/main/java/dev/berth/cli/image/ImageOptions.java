package dev.berth.cli.image;

import dev.berth.agent.images.ImageStore;
import dev.berth.agent.images.registry.RegistryClient;
import dev.berth.agent.images.registry.RegistryHost;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where the image store is, and how to reach registries: shared by every `berth image` command. */
final class ImageOptions {
  @Option(
      names = "--store",
      defaultValue = "/var/lib/berth/images",
      description = "image store directory")
  Path store;

  @Option(
      names = "--plain-http",
      description = "registry host to reach over plain HTTP (loopback ones always are)")
  List<String> plainHttp = new ArrayList<>();

  @Option(
      names = "--creds",
      description = "user:password for the registry (Basic, or for its token service)")
  String creds;

  ImageStore open() throws IOException {
    return new ImageStore(store);
  }

  RegistryClient client(String registry) {
    Map<String, RegistryHost> hosts = new LinkedHashMap<>();
    String user = creds == null ? null : creds.substring(0, Math.max(0, creds.indexOf(':')));
    String password = creds == null ? null : creds.substring(creds.indexOf(':') + 1);
    RegistryHost defaults = RegistryHost.defaults(registry);
    hosts.put(
        registry,
        new RegistryHost(
            registry,
            defaults.plainHttp() || plainHttp.contains(registry),
            List.of(),
            user,
            password));
    return new RegistryClient(hosts);
  }
}
