package dev.berth.cli.fleet;

import com.hazelcast.core.HazelcastInstance;
import dev.berth.cli.fleetctl.ClientConfig;
import dev.berth.controlplane.ControlPlane;
import dev.berth.controlplane.ControlPlaneConfig;
import dev.berth.controlplane.auth.ApiAccess;
import dev.berth.controlplane.pki.ApiCredentials;
import dev.berth.dashboard.Dashboard;
import dev.berth.embedded.EmbeddedHazelcast;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `berth control-plane`: one control-plane process of a real fleet against external Kafka brokers,
 * a Hazelcast member joining the other control planes; any number may run, one schedules at a time.
 */
@Command(
    name = "control-plane",
    description = "run a control plane (workload API, scheduler) against a fleet's Kafka")
public final class ControlPlaneCommand implements Callable<Integer> {
  @Option(
      names = "--kafka",
      required = true,
      description =
          "Kafka bootstrap servers, host:port[,host:port]; reached with mutual TLS as a control"
              + " plane (proxy.crt of the credentials directory), see docs/security.md")
  String kafka;

  @Option(names = "--api-port", defaultValue = "7070")
  int apiPort;

  @Option(names = "--cluster", defaultValue = "berth", description = "Hazelcast cluster name")
  String cluster;

  @Option(
      names = "--hazelcast-port",
      defaultValue = "5701",
      description = "this member's port on --cluster-address")
  int hazelcastPort;

  @Option(
      names = "--cluster-address",
      defaultValue = "127.0.0.1",
      description =
          "this machine's address on the fleet's cluster network: the Hazelcast member binds there"
              + " only, the API there and on 127.0.0.1 (never a wildcard address)")
  String clusterAddress;

  @Option(
      names = "--hazelcast-member",
      split = ",",
      description = "other control planes' members, host:port")
  List<String> members = new ArrayList<>();

  @Option(
      names = "--lease-millis",
      defaultValue = "5000",
      description = "node and scheduler lease length")
  long leaseMillis;

  @Option(
      names = "--cluster-cidr",
      defaultValue = ControlPlaneConfig.DEFAULT_CLUSTER_CIDR,
      description = "the range each node's pod subnet (a /24) is taken from")
  String clusterCidr;

  @Option(
      names = "--credentials-dir",
      defaultValue = "/var/lib/berth/control-plane",
      description =
          "the fleet's CA (created here if missing: copy it to the other control planes), the"
              + " API's certificate, the bootstrap admin token, the request log, and client.json")
  Path credentialsDir;

  @Override
  public Integer call() throws Exception {
    ApiAccess access = ApiCredentials.ensure(credentialsDir, List.of(clusterAddress));
    List<String> join = new ArrayList<>(members);
    join.add(clusterAddress + ":" + hazelcastPort);
    HazelcastInstance hazelcast =
        EmbeddedHazelcast.start(cluster, clusterAddress, hazelcastPort, join);
    Vertx vertx = Vertx.vertx();
    String identity =
        "control-plane-"
            + ProcessHandle.current().pid()
            + "@"
            + clusterAddress
            + ":"
            + hazelcastPort;
    ControlPlaneConfig config =
        new ControlPlaneConfig(kafka, apiPort, identity, leaseMillis, 1000, clusterCidr, access)
            .withApiAddress(clusterAddress);
    ControlPlane cp =
        ControlPlane.start(vertx, config, hazelcast, List.of(new Dashboard(config.kafka())))
            .toCompletionStage()
            .toCompletableFuture()
            .get(120, TimeUnit.SECONDS);
    Path client = credentialsDir.resolve(ClientConfig.FILE);
    if (!java.nio.file.Files.exists(client)) {
      new ClientConfig(
              "https://127.0.0.1:" + cp.apiPort(), access.caCert(), access.bootstrapToken())
          .write(client);
    }
    System.out.println(
        "control plane "
            + identity
            + " ready: workload API https://"
            + String.join(",", config.apiHosts())
            + ":"
            + cp.apiPort()
            + ", credentials "
            + client);
    System.out.flush();
    UntilStopped.await(
        () -> {
          cp.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
          vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
          hazelcast.shutdown();
        },
        "stopping control plane " + identity);
    return 0;
  }
}
