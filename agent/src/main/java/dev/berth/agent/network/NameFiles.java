package dev.berth.agent.network;

import dev.berth.agent.network.dns.FleetNames;
import dev.berth.agent.network.dns.ResolvConf;
import dev.berth.model.runtime.Mount;
import dev.berth.model.runtime.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A container's /etc/hosts and /etc/resolv.conf, kept in its bundle and bind-mounted read-only:
 * made before the container is created, filled once its network is attached. Filling writes the
 * same files in place, so the mounts show the new content.
 */
public final class NameFiles {
  private static final String LOCALHOST =
      "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n";
  private static final Path HOST_RESOLV_CONF = Path.of("/etc/resolv.conf");

  private final String containerId;
  private final Path hosts;
  private final Path resolvConf;

  private NameFiles(String containerId, Path hosts, Path resolvConf) {
    this.containerId = containerId;
    this.hosts = hosts;
    this.resolvConf = resolvConf;
  }

  /**
   * The files of {@code containerId} in {@code bundle}: hosts always, resolv.conf when the node's
   * name server may serve it (otherwise the image's own stays, as on Docker's default network).
   */
  public static NameFiles in(Path bundle, String containerId, boolean resolvConf)
      throws IOException {
    Path hosts = Files.writeString(bundle.resolve("hosts"), LOCALHOST);
    Path resolv = resolvConf ? Files.writeString(bundle.resolve("resolv.conf"), "") : null;
    return new NameFiles(containerId, hosts, resolv);
  }

  /** {@code spec} with the files mounted read-only at /etc/hosts and /etc/resolv.conf. */
  public Spec mountedInto(Spec spec) {
    spec = spec.withMountAdded(Mount.readOnlyBind(hosts.toString(), "/etc/hosts"));
    if (resolvConf != null) {
      spec = spec.withMountAdded(Mount.readOnlyBind(resolvConf.toString(), "/etc/resolv.conf"));
    }
    return spec;
  }

  /**
   * Fills in the container's own name and address, and {@code nameserver} (workload names first);
   * without one, the host's resolvers.
   */
  public void fill(NetworkAttachment net, String nameserver) throws IOException {
    String ip = net.ip();
    Files.writeString(hosts, LOCALHOST + (ip == null ? "" : ip + "\t" + containerId + "\n"));
    if (resolvConf != null) {
      Files.writeString(
          resolvConf,
          nameserver != null
              ? ResolvConf.forContainer(nameserver, FleetNames.DOMAIN)
              : Files.exists(HOST_RESOLV_CONF) ? Files.readString(HOST_RESOLV_CONF) : "");
    }
  }
}
