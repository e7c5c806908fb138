package dev.berth.agent.node;

import com.hazelcast.core.HazelcastInstance;
import dev.berth.agent.network.NodeRoutes;
import dev.berth.model.fleet.FleetMaps;
import dev.berth.model.fleet.NodeRecord;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.WorkerExecutor;
import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Keeps the routes to the other nodes' pod subnets in step with the fleet view, every two seconds
 * (Hazelcast reads and `ip route` run on a worker).
 */
public final class NodeRoutesVerticle extends AbstractVerticle {
  private static final Logger LOG = Logger.getLogger(NodeRoutesVerticle.class.getName());
  static final long INTERVAL_MILLIS = 2000;

  private final String nodeName;
  private final HazelcastInstance fleet;
  private final NodeRoutes routes = new NodeRoutes();
  private WorkerExecutor worker;
  private String lastError;

  public NodeRoutesVerticle(String nodeName, HazelcastInstance fleet) {
    this.nodeName = nodeName;
    this.fleet = fleet;
  }

  @Override
  public void start() {
    worker = vertx.createSharedWorkerExecutor("berth-routes-" + nodeName, 1);
    sync();
    vertx.setPeriodic(INTERVAL_MILLIS, t -> sync());
  }

  private void sync() {
    worker
        .executeBlocking(
            () -> {
              routes.sync(
                  NodeRoutes.wanted(
                      fleet.<String, NodeRecord>getMap(FleetMaps.NODES).values(),
                      nodeName,
                      localAddresses()));
              return null;
            },
            true)
        .onSuccess(v -> lastError = null)
        .onFailure(
            e -> {
              // Said once per distinct failure, not every two seconds.
              if (!String.valueOf(e.getMessage()).equals(lastError)) {
                lastError = String.valueOf(e.getMessage());
                LOG.warning("node " + nodeName + ": routes to other nodes' pods: " + lastError);
              }
            });
  }

  private static Set<String> localAddresses() throws SocketException {
    return NetworkInterface.networkInterfaces()
        .flatMap(NetworkInterface::inetAddresses)
        .filter(a -> a instanceof Inet4Address)
        .map(a -> a.getHostAddress())
        .collect(Collectors.toSet());
  }

  @Override
  public void stop() {
    if (worker != null) {
      worker.close();
    }
  }
}
