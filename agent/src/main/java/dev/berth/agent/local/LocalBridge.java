package dev.berth.agent.local;

import dev.berth.agent.network.ContainerNetworks;
import dev.berth.agent.network.DefaultNetwork;
import dev.berth.agent.network.cni.CniException;
import dev.berth.agent.network.cni.CniPlugins;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The bridge local containers join by default, as Podman's "podman" network: written once under the
 * local root with a subnet no route of the host uses (kept afterwards), host-local addresses,
 * masquerading out, Debian's CNI plugins.
 */
final class LocalBridge {
  static final Path PLUGINS = Path.of("/usr/lib/cni");

  private LocalBridge() {}

  static ContainerNetworks networks(LocalLayout layout) throws IOException, CniException {
    // The system's temp directory for the plugins' scratch: several `berth` commands run at once.
    CniPlugins plugins = new CniPlugins(List.of(PLUGINS), Duration.ofSeconds(30));
    String subnet = DefaultNetwork.writtenSubnet(layout.networkConfigs());
    DefaultNetwork.write(
        layout.networkConfigs(),
        layout.bridge(),
        subnet != null ? subnet : DefaultNetwork.freeRange(),
        layout.ipam());
    return new ContainerNetworks(
        plugins, ContainerNetworks.firstNetwork(layout.networkConfigs(), plugins), "local");
  }
}
