package dev.berth.agent.network.dns;

import dev.berth.model.fleet.ContainerReport;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's name server for its containers (UDP, on the address their resolv.conf names): workload
 * names from the live fleet view, refreshed every half second, so that a replica that stops running
 * leaves the answers within a second; every other query forwarded to the host's resolvers, as
 * Docker's embedded DNS does.
 */
public final class DnsServerVerticle extends AbstractVerticle {
  static final int MAX_QUERY_BYTES = 4096;
  static final int MAX_FORWARDS_IN_FLIGHT = 256;
  static final long FORWARD_TIMEOUT_MILLIS = 2000;
  static final long REFRESH_MILLIS = 500;

  private final String host;
  private final int port;
  private final String suffix;
  private final Callable<Collection<ContainerReport>> fleetView;
  private final List<InetSocketAddress> upstreams;
  private final String relayFrom;
  private final AtomicInteger forwarding = new AtomicInteger();
  private volatile FleetNames names;
  private DatagramSocket socket;
  private WorkerExecutor worker;

  /**
   * A server on {@code host:port} (0: any free port) answering {@code <workload>} and {@code
   * <workload>.<suffix>} from {@code fleetView} (a blocking read, run on a worker), forwarding the
   * rest to {@code upstreams} (the first that answers).
   */
  public DnsServerVerticle(
      String host,
      int port,
      String suffix,
      Callable<Collection<ContainerReport>> fleetView,
      List<InetSocketAddress> upstreams) {
    this.host = host;
    this.port = port;
    this.suffix = suffix;
    this.fleetView = fleetView;
    this.upstreams = List.copyOf(upstreams);
    this.names = FleetNames.of(List.of(), suffix);
    this.relayFrom = upstreams.isEmpty() ? null : sourceAddressFor(upstreams.get(0));
  }

  /**
   * The local address the kernel sends from to reach {@code upstream} (a UDP connect sends
   * nothing): relay sockets bind to it, never to a wildcard address.
   */
  private static String sourceAddressFor(InetSocketAddress upstream) {
    // The JDK's socket (a name Vert.x's datagram socket shares): a connect picks the route.
    try (java.net.DatagramSocket probe = new java.net.DatagramSocket(null)) {
      probe.connect(upstream);
      return probe.getLocalAddress().getHostAddress();
    } catch (IOException e) {
      return null; // no route to it: nothing is forwarded
    }
  }

  @Override
  public void start(Promise<Void> started) {
    worker = vertx.createSharedWorkerExecutor("berth-dns", 1);
    socket = vertx.createDatagramSocket();
    socket.handler(this::query);
    refresh();
    vertx.setPeriodic(REFRESH_MILLIS, t -> refresh());
    socket.listen(port, host).<Void>mapEmpty().onComplete(started);
  }

  /** Where the server listens (its port when 0 was asked for). */
  public SocketAddress address() {
    return socket.localAddress();
  }

  private void refresh() {
    worker
        .executeBlocking(() -> FleetNames.of(fleetView.call(), suffix), true)
        .onSuccess(n -> names = n); // on failure the last good names stay
  }

  private void query(DatagramPacket packet) {
    Buffer data = packet.data();
    if (data.length() > MAX_QUERY_BYTES) {
      return;
    }
    byte[] answer = DnsAnswers.answer(data.getBytes(), names);
    if (answer != null) {
      socket.send(Buffer.buffer(answer), packet.sender().port(), packet.sender().host());
    } else {
      forward(data, packet.sender());
    }
  }

  /**
   * Relays a query to the first upstream through a socket of its own, so replies cannot be mixed
   * up.
   */
  private void forward(Buffer query, SocketAddress client) {
    if (relayFrom == null || forwarding.incrementAndGet() > MAX_FORWARDS_IN_FLIGHT) {
      forwarding.decrementAndGet();
      return; // the client retries or fails over, as with any busy resolver
    }
    InetSocketAddress up = upstreams.get(0);
    DatagramSocket relay = vertx.createDatagramSocket();
    long timer =
        vertx.setTimer(
            FORWARD_TIMEOUT_MILLIS,
            t -> {
              forwarding.decrementAndGet();
              relay.close();
            });
    relay.handler(
        reply -> {
          // Only the upstream's answer is relayed: anything else reaching this port is dropped.
          if (reply.sender().port() == up.getPort()
              && reply.sender().host().equals(up.getAddress().getHostAddress())
              && vertx.cancelTimer(timer)) {
            forwarding.decrementAndGet();
            socket.send(reply.data(), client.port(), client.host());
            relay.close();
          }
        });
    relay
        .listen(0, relayFrom)
        .compose(bound -> relay.send(query, up.getPort(), up.getHostString()))
        .onFailure(
            e -> {
              if (vertx.cancelTimer(timer)) {
                forwarding.decrementAndGet();
                relay.close();
              }
            });
  }

  @Override
  public void stop() {
    if (worker != null) {
      worker.close();
    }
  }
}
