package dev.berth.agent.network.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.model.fleet.ContainerReport;
import dev.berth.model.fleet.ContainerState;
import dev.berth.testing.Await;
import dev.berth.testing.StrictVertx;
import io.vertx.core.Future;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The node's name server on loopback, queried with dnsjava's resolver: workload names answer with
 * their running replicas' addresses and follow the fleet view within a second; unknown names in
 * Berth's domain are NXDOMAIN; other names go to the upstream (a second server here) and come back.
 */
class DnsServerTest {
  private StrictVertx strict;
  private final List<ContainerReport> view = new CopyOnWriteArrayList<>();
  private DnsServerVerticle server;

  private static ContainerReport replica(String id, String workload, ContainerState s, String ip) {
    return new ContainerReport(id, workload, 1, s, null, 0, null, "node-a", ip, null);
  }

  private static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @BeforeEach
  void start() throws Exception {
    strict = new StrictVertx(500);
    DnsServerVerticle upstream =
        new DnsServerVerticle(
            "127.0.0.1",
            0,
            "upstream.test",
            () -> List.of(replica("db-g1-r0", "db", ContainerState.RUNNING, "192.0.2.7")),
            List.of());
    get(strict.vertx().deployVerticle(upstream));
    view.add(replica("web-g1-r0", "web", ContainerState.RUNNING, "10.88.0.2"));
    view.add(replica("web-g1-r1", "web", ContainerState.RUNNING, "10.88.0.3"));
    view.add(replica("web-g1-r2", "web", ContainerState.STOPPED, "10.88.0.4"));
    server =
        new DnsServerVerticle(
            "127.0.0.1",
            0,
            "berth.internal",
            () -> List.copyOf(view),
            List.of(new InetSocketAddress("127.0.0.1", upstream.address().port())));
    get(strict.vertx().deployVerticle(server));
  }

  @AfterEach
  void stop() throws Exception {
    get(strict.vertx().close());
    strict.assertNeverBlocked();
  }

  private Message ask(String name) throws Exception {
    SimpleResolver r = new SimpleResolver("127.0.0.1");
    r.setPort(server.address().port());
    r.setTimeout(Duration.ofSeconds(3));
    return r.send(Message.newQuery(Record.newRecord(Name.fromString(name + "."), Type.A, 1)));
  }

  private List<String> addresses(String name) {
    try {
      return ask(name).getSection(Section.ANSWER).stream()
          .map(Record::rdataToString)
          .sorted()
          .toList();
    } catch (Exception e) {
      return List.of("error: " + e);
    }
  }

  @Test
  void aWorkloadNameAnswersWithItsRunningReplicasWithOrWithoutTheSuffix() throws Exception {
    Await.until(() -> addresses("web").size() == 2, "the first refresh", 5000);
    assertEquals(List.of("10.88.0.2", "10.88.0.3"), addresses("web.berth.internal"));
    assertEquals(List.of("10.88.0.2", "10.88.0.3"), addresses("WEB"));
    assertEquals(1L, ask("web").getSection(Section.ANSWER).get(0).getTTL());
  }

  @Test
  void aReplicaThatStopsLeavesTheAnswersWithinASecond() throws Exception {
    Await.until(() -> addresses("web").size() == 2, "the first refresh", 5000);
    view.set(0, replica("web-g1-r0", "web", ContainerState.STOPPED, "10.88.0.2"));
    // Refreshed every 500 ms: within a second, with the slack a loaded 2-core CI machine needs.
    Await.until(
        () -> addresses("web").equals(List.of("10.88.0.3")), "the stopped replica gone", 1500);
  }

  @Test
  void anUnknownNameInBerthsDomainIsNxdomainAndOthersAreForwarded() throws Exception {
    assertEquals(Rcode.NXDOMAIN, ask("nobody.berth.internal").getRcode());
    Await.until(() -> addresses("db.upstream.test").size() == 1, "the upstream's refresh", 5000);
    assertEquals(List.of("192.0.2.7"), addresses("db.upstream.test"), "forwarded and relayed");
  }

  @Test
  void anAnswerTooBigForUdpIsTruncatedToTheClientsBuffer() throws Exception {
    for (int i = 0; i < 100; i++) {
      view.add(replica("big-g1-r" + i, "big", ContainerState.RUNNING, "10.88.1." + (i + 1)));
    }
    Await.until(() -> addresses("web").size() == 2, "the first refresh", 5000);
    Thread.sleep(2 * DnsServerVerticle.REFRESH_MILLIS); // "big" is in the view by now
    try (DatagramSocket s = new DatagramSocket()) {
      s.setSoTimeout(3000);
      byte[] q =
          Message.newQuery(Record.newRecord(Name.fromString("big.berth.internal."), Type.A, 1))
              .toWire();
      s.send(
          new DatagramPacket(
              q, q.length, InetAddress.getLoopbackAddress(), server.address().port()));
      DatagramPacket reply = new DatagramPacket(new byte[65535], 65535);
      s.receive(reply);
      assertTrue(reply.getLength() <= 512, reply.getLength() + " bytes");
      Message m = new Message(Arrays.copyOf(reply.getData(), reply.getLength()));
      assertTrue(m.getHeader().getFlag(Flags.TC), "marked truncated, so the client knows");
    }
  }

  @Test
  void garbageIsDroppedAndTheServerGoesOn() throws Exception {
    try (DatagramSocket s = new DatagramSocket()) {
      byte[] junk = new byte[] {1, 2, 3};
      s.send(
          new DatagramPacket(
              junk, junk.length, InetAddress.getLoopbackAddress(), server.address().port()));
    }
    Await.until(() -> addresses("web").size() == 2, "an answer after the garbage", 5000);
  }
}
