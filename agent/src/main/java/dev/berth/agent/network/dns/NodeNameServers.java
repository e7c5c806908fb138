package dev.berth.agent.network.dns;

import com.hazelcast.core.HazelcastInstance;
import dev.berth.agent.network.NameServers;
import dev.berth.model.fleet.ContainerReport;
import dev.berth.model.fleet.FleetMaps;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The agent's name servers, one per network gateway its containers use, each a {@link
 * DnsServerVerticle} answering from the fleet view in Hazelcast. Started when the first container
 * of a network is attached (the bridge and its address exist only then).
 */
public final class NodeNameServers implements NameServers {
  private static final Logger LOG = Logger.getLogger(NodeNameServers.class.getName());
  private final Vertx vertx;
  private final HazelcastInstance fleetView;
  private final String suffix;
  private final List<InetSocketAddress> upstreams;
  private final Map<String, Future<String>> servers = new ConcurrentHashMap<>();

  public NodeNameServers(
      Vertx vertx, HazelcastInstance fleetView, String suffix, List<InetSocketAddress> upstreams) {
    this.vertx = vertx;
    this.fleetView = fleetView;
    this.suffix = suffix;
    this.upstreams = List.copyOf(upstreams);
  }

  /** Blocks until the server on {@code address}:53 listens: call from a worker. */
  @Override
  public boolean ensureOn(String address) throws IOException {
    Future<String> deployed =
        servers.computeIfAbsent(
            address,
            a ->
                vertx.deployVerticle(
                    new DnsServerVerticle(
                        a,
                        53,
                        suffix,
                        () ->
                            fleetView
                                .<String, ContainerReport>getMap(FleetMaps.CONTAINERS)
                                .values(),
                        upstreams)));
    try {
      deployed.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      // Port 53 taken by another server, say: containers keep their image's resolv.conf.
      servers.remove(address, deployed);
      LOG.warning("no name server on " + address + ":53: " + e.getMessage());
      return false;
    }
  }

  /** Stops every name server. */
  public Future<Void> stop() {
    List<Future<Void>> stops =
        servers.values().stream()
            .map(f -> f.compose(vertx::undeploy).recover(e -> Future.succeededFuture()))
            .toList();
    servers.clear();
    return Future.all(stops).mapEmpty();
  }
}
