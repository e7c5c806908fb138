package dev.berth.cli.fleet;

import com.hazelcast.core.HazelcastInstance;
import dev.berth.agent.images.registry.RegistryHostsFile;
import dev.berth.agent.node.AgentConfig;
import dev.berth.agent.node.AgentNode;
import dev.berth.agent.node.FleetViewClient;
import dev.berth.agent.node.tls.NodeJoin;
import dev.berth.agent.node.tls.NodeTls;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * `berth agent`: one node agent of a real fleet, against external Kafka brokers, a Hazelcast client
 * of the control planes' cluster. Stopping it leaves its containers running; the next start adopts
 * them.
 */
@Command(name = "agent", description = "run a node agent against a fleet's Kafka and Hazelcast")
public final class AgentCommand implements Callable<Integer> {
  @Option(names = "--node", required = true, description = "this node's name, unique in the fleet")
  String node;

  @Option(
      names = "--kafka",
      required = true,
      description =
          "Kafka bootstrap servers, host:port[,host:port]; reached with mutual TLS with the"
              + " node's certificate from its join")
  String kafka;

  @Option(
      names = "--hazelcast",
      required = true,
      split = ",",
      description = "control planes' members, host:port")
  List<String> hazelcast;

  @Option(names = "--cluster", defaultValue = "berth", description = "Hazelcast cluster name")
  String cluster;

  @Option(names = "--state-dir", description = "default: /var/lib/berth/agent-NODE")
  Path stateDir;

  @Option(names = "--label", description = "node label, key=value (repeatable)")
  Map<String, String> labels = new LinkedHashMap<>();

  @Option(
      names = "--api-port",
      defaultValue = "0",
      description = "node API port (logs, exec, /metrics); 0: any")
  int apiPort;

  @Option(names = "--lease-millis", defaultValue = "5000")
  long leaseMillis;

  @Mixin NetworkOptions network = new NetworkOptions();

  @Mixin PolicyOptions policy = new PolicyOptions();

  @Option(
      names = "--registry-config",
      description = "registry mirrors, credentials and plain-HTTP hosts (YAML)")
  Path registryConfig;

  @Option(
      names = "--join-token",
      description =
          "a join token (berth token create NAME --role join) to have this node's certificate"
              + " signed on its first start, as kubeadm join; later starts reuse the certificate")
  String joinToken;

  @Option(names = "--server", description = "a control plane's API for the join, https://HOST:PORT")
  String server;

  @Option(
      names = "--ca-cert",
      description = "the fleet's CA certificate (ca.crt of a control plane), to trust --server")
  Path caCert;

  @Override
  public Integer call() throws Exception {
    Path dir = stateDir != null ? stateDir : Path.of("/var/lib/berth", "agent-" + node);
    NodeTls tls = NodeTls.in(dir.resolve("pki"));
    if (!tls.present()) {
      if (joinToken == null || server == null || caCert == null) {
        System.err.println(
            "berth: node "
                + node
                + " has not joined the fleet: give --join-token, --server and --ca-cert once");
        return 1;
      }
      String address = network.settings().nodeAddress();
      NodeJoin.join(
          server,
          caCert,
          joinToken,
          node,
          address == null ? List.of() : List.of(address),
          dir.resolve("pki"));
    }
    HazelcastInstance client = FleetViewClient.connect(cluster, hazelcast);
    Vertx vertx = Vertx.vertx();
    AgentConfig config =
        AgentConfig.forThisMachine(node, dir, kafka, labels, leaseMillis, apiPort)
            .withRegistries(
                registryConfig == null ? Map.of() : RegistryHostsFile.read(registryConfig))
            .withNetwork(network.settings())
            .withTls(tls)
            .withPolicy(policy.policy());
    AgentNode agent =
        AgentNode.start(vertx, config, client)
            .toCompletionStage()
            .toCompletableFuture()
            .get(120, TimeUnit.SECONDS);
    System.out.println(
        "agent " + node + " ready: node API https://" + agent.apiAddress() + ", state " + dir);
    System.out.flush();
    UntilStopped.await(
        () -> {
          agent.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
          vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
          client.shutdown();
        },
        "stopping agent " + node + " (containers keep running)");
    return 0;
  }
}
