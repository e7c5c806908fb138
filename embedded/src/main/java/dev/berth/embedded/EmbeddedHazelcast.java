package dev.berth.embedded;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.berth.model.fleet.FleetSerialization;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;

/**
 * A Hazelcast member for `berth up` and tests, confined to loopback: no multicast, TCP-IP join to
 * 127.0.0.1 only, no phone-home, so nothing leaves the machine.
 */
public final class EmbeddedHazelcast {
  private EmbeddedHazelcast() {}

  public static HazelcastInstance start(String clusterName) throws IOException {
    return start(clusterName, 0, List.of("127.0.0.1"));
  }

  /**
   * A member on {@code port} (0: any free one) of 127.0.0.1 that joins the members at {@code
   * members} ("host:port" or "host"), as separate control-plane processes do.
   */
  public static HazelcastInstance start(String clusterName, int port, List<String> members)
      throws IOException {
    return start(clusterName, "127.0.0.1", port, members);
  }

  /**
   * A member bound to {@code address} only (the fleet's cluster interface) on {@code port} (0: any
   * free one), joining the members at {@code members}.
   */
  public static HazelcastInstance start(
      String clusterName, String address, int port, List<String> members) throws IOException {
    Config config = new Config();
    config.setClusterName(clusterName);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "none");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    // By default a member binds every interface whatever it is told to use: anyone who reached the
    // port could join and rewrite the fleet's maps.
    config.setProperty("hazelcast.socket.bind.any", "false");
    // A control plane that dies is noticed in seconds, not after Hazelcast's default minute: its
    // partitions
    // (the node leases, the scheduler lease) move to the survivors from their backups.
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
    // after a network split heals, the halves look for each other and merge within seconds, not
    // Hazelcast's default of five minutes (until then each half keeps its own leases and views)
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    config.getNetworkConfig().setPort(port == 0 ? freePort() : port).setPortAutoIncrement(false);
    config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface(address);
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(members);
    config.getJetConfig().setEnabled(false);
    FleetSerialization.configure(config.getSerializationConfig());
    return Hazelcast.newHazelcastInstance(config);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
