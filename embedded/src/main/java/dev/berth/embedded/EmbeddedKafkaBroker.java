package dev.berth.embedded;

import dev.berth.model.fleet.KafkaPrincipals;
import dev.berth.model.pki.CertificateAuthority;
import dev.berth.model.pki.FleetIdentities;
import dev.berth.model.pki.TlsFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node KRaft Kafka broker (broker and controller in one) on loopback, from Kafka's own
 * artifacts, for `berth up`. Its log directory is formatted once and kept, so a restart finds every
 * record again. It speaks only TLS and asks every client for a certificate of the fleet's CA
 * (mutual TLS, the controller listener too); its StandardAuthorizer lets control planes do anything
 * and everyone else only what an ACL grants (see {@link KafkaPrincipals}).
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
  private final KafkaRaftServer server;
  private final String host;
  private final int port;

  private EmbeddedKafkaBroker(KafkaRaftServer server, String host, int port) {
    this.server = server;
    this.host = host;
    this.port = port;
  }

  /**
   * Starts the broker with its data in {@code dataDir}, listening on {@code port} (0: any free
   * one), with a certificate from {@code ca} (issued again at each start, kept in dataDir/tls).
   */
  public static EmbeddedKafkaBroker start(Path dataDir, int port, CertificateAuthority ca)
      throws Exception {
    return start(dataDir, "127.0.0.1", port, ca);
  }

  /**
   * The same, clients reaching it on {@code host} (an address of this machine, never a wildcard;
   * the controller listener stays on loopback).
   */
  public static EmbeddedKafkaBroker start(
      Path dataDir, String host, int port, CertificateAuthority ca) throws Exception {
    Path logs = Files.createDirectories(dataDir.resolve("kafka-logs"));
    Path tls = Files.createDirectories(dataDir.resolve("tls"));
    TlsFiles identity =
        ca.issueFiles(
            "kafka-broker",
            FleetIdentities.KAFKA_BROKERS,
            host.equals("127.0.0.1")
                ? List.of("127.0.0.1", "localhost")
                : List.of("127.0.0.1", "localhost", host),
            true, // it is the controller's client too
            tls.resolve("broker.crt"),
            tls.resolve("broker.key"));
    int brokerPort = port == 0 ? freePort(host) : port;
    int controllerPort = freePort("127.0.0.1");
    Properties props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", "1");
    props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    props.put(
        "listeners",
        "BROKER://" + host + ":" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    props.put("advertised.listeners", "BROKER://" + host + ":" + brokerPort);
    props.put("controller.listener.names", "CONTROLLER");
    props.put("inter.broker.listener.name", "BROKER");
    props.put("listener.security.protocol.map", "BROKER:SSL,CONTROLLER:SSL");
    props.put("ssl.client.auth", "required");
    props.put("ssl.keystore.type", "PEM");
    props.put("ssl.keystore.certificate.chain", Files.readString(identity.cert()));
    props.put("ssl.keystore.key", Files.readString(identity.key()));
    props.put("ssl.truststore.type", "PEM");
    props.put("ssl.truststore.certificates", Files.readString(identity.ca()));
    props.put("ssl.endpoint.identification.algorithm", "https");
    props.put("ssl.principal.mapping.rules", KafkaPrincipals.MAPPING_RULES);
    props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    props.put("super.users", KafkaPrincipals.superUsers());
    props.put("allow.everyone.if.no.acl.found", "false");
    props.put("log.dirs", logs.toString());
    props.put("num.partitions", "1");
    props.put("offsets.topic.replication.factor", "1");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    // topics are created with their settings (compaction, one partition per node) by Berth
    props.put("auto.create.topics.enable", "false");
    KafkaConfig config = KafkaConfig.fromProps(props, false);
    if (!Files.exists(logs.resolve("meta.properties"))) {
      format(logs, dataDir);
    }
    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    server.startup();
    return new EmbeddedKafkaBroker(server, host, brokerPort);
  }

  /** Writes meta.properties and the bootstrap metadata, as `kafka-storage.sh format` does. */
  private static void format(Path logs, Path dataDir) throws Exception {
    Path idFile = dataDir.resolve("kafka-cluster-id");
    if (!Files.exists(idFile)) {
      Files.writeString(idFile, Uuid.randomUuid().toString());
    }
    new Formatter()
        .setPrintStream(new PrintStream(PrintStream.nullOutputStream()))
        .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
        .setNodeId(1)
        .setClusterId(Files.readString(idFile).trim())
        .setDirectories(List.of(logs.toString()))
        .setMetadataLogDirectory(logs.toString())
        .setReleaseVersion(MetadataVersion.latestProduction())
        .setControllerListenerName("CONTROLLER")
        .setNoInitialControllersFlag(true)
        .run();
  }

  private static int freePort(String host) throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return s.getLocalPort();
    }
  }

  /** The address clients connect to. */
  public String bootstrapServers() {
    return host + ":" + port;
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
  }
}
