package dev.berth.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.model.fleet.KafkaAccess;
import dev.berth.model.fleet.KafkaClientConfig;
import dev.berth.model.pki.CertificateAuthority;
import dev.berth.model.pki.FleetIdentities;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker really is a Kafka broker: records sent with acks=all are read back, also
 * after a restart; and it answers only clients with a certificate of the fleet's CA, doing only
 * what that certificate's principal may.
 */
class EmbeddedKafkaBrokerTest {
  @TempDir Path dir;

  private KafkaAccess identity(CertificateAuthority ca, String bootstrap, String cn, String o) {
    return KafkaAccess.mutualTls(
        bootstrap,
        ca.issueFiles(cn, o, List.of(), true, dir.resolve(cn + ".crt"), dir.resolve(cn + ".key")));
  }

  private static List<String> readAll(KafkaAccess kafka, String topic) {
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(KafkaClientConfig.assignedConsumer(kafka))) {
      TopicPartition p = new TopicPartition(topic, 0);
      consumer.assign(List.of(p));
      consumer.seekToBeginning(List.of(p));
      long deadline = System.currentTimeMillis() + 30_000;
      while (values.isEmpty() && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          values.add(r.key() + "=" + new String(r.value()));
        }
      }
    }
    return values;
  }

  private static void createTopic(KafkaAccess kafka, String topic) throws Exception {
    try (Admin admin = Admin.create(KafkaClientConfig.admin(kafka))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
  }

  @Test
  void recordsAreDurableAcrossARestartOfTheBroker() throws Exception {
    CertificateAuthority ca = CertificateAuthority.openOrCreate(dir.resolve("pki"));
    Path data = dir.resolve("data");
    int port;
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(data, 0, ca)) {
      port = Integer.parseInt(broker.bootstrapServers().split(":")[1]);
      KafkaAccess cp =
          identity(ca, broker.bootstrapServers(), "cp", FleetIdentities.CONTROL_PLANES);
      createTopic(cp, "berth.test");
      try (KafkaProducer<String, byte[]> producer =
          new KafkaProducer<>(KafkaClientConfig.durableProducer(cp, 0))) {
        producer.send(new ProducerRecord<>("berth.test", "web", "replicas: 3".getBytes())).get();
      }
      assertEquals(List.of("web=replicas: 3"), readAll(cp, "berth.test"));
    }
    try (EmbeddedKafkaBroker again = EmbeddedKafkaBroker.start(data, port, ca)) {
      KafkaAccess cp = identity(ca, again.bootstrapServers(), "cp", FleetIdentities.CONTROL_PLANES);
      assertEquals(List.of("web=replicas: 3"), readAll(cp, "berth.test"));
    }
  }

  @Test
  void onlyCertificatesOfTheFleetsCaGetInAndOnlyControlPlanesMayDoAnything() throws Exception {
    CertificateAuthority ca = CertificateAuthority.openOrCreate(dir.resolve("pki"));
    CertificateAuthority other = CertificateAuthority.openOrCreate(dir.resolve("other"), "evil");
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("data"), 0, ca)) {
      String bootstrap = broker.bootstrapServers();
      createTopic(identity(ca, bootstrap, "cp", FleetIdentities.CONTROL_PLANES), "berth.workloads");

      // no certificate at all: plain text, and TLS without a client certificate
      Properties plain = new Properties();
      plain.setProperty("bootstrap.servers", bootstrap);
      assertRefused(plain);
      Properties noCert = new Properties();
      noCert.setProperty("bootstrap.servers", bootstrap);
      noCert.setProperty("security.protocol", "SSL");
      noCert.setProperty("ssl.truststore.type", "PEM");
      noCert.setProperty("ssl.truststore.certificates", Files.readString(ca.certificateFile()));
      assertRefused(noCert);
      // a control plane's certificate from another CA
      Path evilCert = dir.resolve("evil.crt");
      Path evilKey = dir.resolve("evil.key");
      other.issueFiles("cp", FleetIdentities.CONTROL_PLANES, List.of(), true, evilCert, evilKey);
      Properties evil = identity(ca, bootstrap, "x", FleetIdentities.MONITORING).properties();
      evil.setProperty("ssl.keystore.certificate.chain", Files.readString(evilCert));
      evil.setProperty("ssl.keystore.key", Files.readString(evilKey));
      assertRefused(evil);

      // the fleet's CA, but not a control plane: authenticated, allowed nothing
      KafkaAccess monitor = identity(ca, bootstrap, "prometheus", FleetIdentities.MONITORING);
      try (Admin admin = Admin.create(KafkaClientConfig.admin(monitor))) {
        assertTrue(admin.listTopics().names().get(10, TimeUnit.SECONDS).isEmpty());
        ExecutionException e =
            assertThrows(
                ExecutionException.class,
                () -> admin.createTopics(List.of(new NewTopic("mine", 1, (short) 1))).all().get());
        assertTrue(e.getCause() instanceof AuthorizationException, e.toString());
      }
      try (KafkaProducer<String, byte[]> p =
          new KafkaProducer<>(
              KafkaClientConfig.with(
                  KafkaClientConfig.durableProducer(monitor, 0), "max.block.ms", 5000))) {
        Exception e =
            assertThrows(
                Exception.class,
                () -> p.send(new ProducerRecord<>("berth.workloads", "web", new byte[1])).get());
        assertTrue(
            e instanceof AuthorizationException || e.getCause() instanceof AuthorizationException,
            e.toString());
      }
    }
  }

  /** A client with {@code props} cannot even list the broker's topics. */
  private static void assertRefused(Properties props) {
    props.setProperty("request.timeout.ms", "3000");
    props.setProperty("default.api.timeout.ms", "5000");
    try (Admin admin = Admin.create(props)) {
      assertThrows(Exception.class, () -> admin.listTopics().names().get(8, TimeUnit.SECONDS));
    }
  }
}
