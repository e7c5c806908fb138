package dev.berth.agent.node;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import dev.berth.model.fleet.FleetSerialization;
import java.util.List;

/**
 * The agent's connection to an external Hazelcast cluster (the control planes' members) as a
 * client: an agent holds no fleet data, so it does not join as a member. It keeps retrying and
 * fails over between the given addresses, so a control plane that dies does not take the node's
 * lease with it.
 */
public final class FleetViewClient {
  private FleetViewClient() {}

  public static HazelcastInstance connect(String clusterName, List<String> addresses) {
    ClientConfig config = new ClientConfig();
    config.setClusterName(clusterName);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "none");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.getNetworkConfig().setAddresses(addresses).setSmartRouting(true);
    FleetSerialization.configure(config.getSerializationConfig());
    config
        .getConnectionStrategyConfig()
        .getConnectionRetryConfig()
        .setClusterConnectTimeoutMillis(-1)
        .setMaxBackoffMillis(2000);
    return HazelcastClient.newHazelcastClient(config);
  }
}
