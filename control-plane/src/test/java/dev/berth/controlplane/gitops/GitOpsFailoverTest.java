package dev.berth.controlplane.gitops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import dev.berth.controlplane.ControlPlane;
import dev.berth.controlplane.ControlPlaneConfig;
import dev.berth.controlplane.TestCredentials;
import dev.berth.controlplane.auth.ApiAccess;
import dev.berth.embedded.EmbeddedHazelcast;
import dev.berth.embedded.EmbeddedKafkaBroker;
import dev.berth.model.fleet.KafkaClientConfig;
import dev.berth.model.fleet.StoredWorkload;
import dev.berth.model.fleet.WorkloadTopic;
import dev.berth.model.gitops.GitSourceSpec;
import dev.berth.testing.Await;
import dev.berth.testing.StrictVertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * A control plane that dies in the middle of a sync (its records sent, not committed): the standby
 * takes the lease, its first write fences the dead one's transaction, it applies the whole commit,
 * and nothing is applied twice (every workload at generation 1, one committed record each).
 */
class GitOpsFailoverTest {
  static final int WORKLOADS = 40;

  @Test
  void theStandbyFinishesASyncTheLeaderDiedInAndNothingIsAppliedTwice() throws Exception {
    Path data = Files.createTempDirectory("berth-gitops-failover-");
    StrictVertx strict = new StrictVertx(500);
    ApiAccess access = TestCredentials.in(data.resolve("pki"));
    EmbeddedKafkaBroker broker = TestCredentials.broker(data.resolve("kafka"), access);
    int p1 = freePort();
    int p2 = freePort();
    String cluster = "berth-gitops-failover-" + ProcessHandle.current().pid();
    HazelcastInstance hz1 = EmbeddedHazelcast.start(cluster, p1, List.of("127.0.0.1:" + p2));
    HazelcastInstance hz2 = EmbeddedHazelcast.start(cluster, p2, List.of("127.0.0.1:" + p1));
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ControlPlane cp1 = null;
    ControlPlane cp2 = null;
    try (TestRepository repo = TestRepository.create(data, "fleet")) {
      String[] files = new String[WORKLOADS * 2];
      for (int i = 0; i < WORKLOADS; i++) {
        files[2 * i] = "w" + i + ".yaml";
        files[2 * i + 1] = "name: fo-" + i + "\nimage: local/app:1\n";
      }
      repo.push("forty", files);
      cp1 = start(strict, broker, access, "cp1@127.0.0.1:" + p1, hz1);
      ControlPlane leader = cp1;
      Await.until(() -> leader.gitops().leader(), "cp1 leads", 10_000);
      cp2 = start(strict, broker, access, "cp2@127.0.0.1:" + p2, hz2);
      cp1.gitops()
          .beforeCommit(
              () -> {
                entered.countDown();
                try {
                  release.await(); // the process is frozen here, its transaction open
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      cp1.sources()
          .apply(
              new GitSourceSpec(
                  null, "fleet", repo.fileUrl(), null, null, "1s", true, null, null, null, null));
      assertTrue(entered.await(20, TimeUnit.SECONDS), "cp1 began the sync");
      ControlPlane standby = cp2;
      Thread.sleep(500);
      assertEquals(0, count(standby), "an open transaction is seen by nobody");

      hz1.getLifecycleService().terminate(); // cp1 is gone from the cluster: its lease lapses
      Await.until(() -> standby.gitops().leader(), "cp2 takes the lease", 20_000);
      Await.until(() -> count(standby) == WORKLOADS, "cp2 applied the whole commit", 20_000);
      release.countDown(); // the frozen leader wakes and tries to commit: fenced
      Thread.sleep(1_500);

      for (StoredWorkload w : standby.store().list()) {
        assertEquals(1, w.generation(), w.spec().name() + " applied once");
      }
      Map<String, Integer> records = committedRecords(TestCredentials.kafka(access, broker));
      assertEquals(WORKLOADS, records.size());
      records.forEach((k, n) -> assertEquals(1, n, "committed records of " + k));
    } finally {
      release.countDown();
      if (cp2 != null) {
        cp2.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      if (cp1 != null) {
        try {
          cp1.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
          // its Hazelcast member is gone: stopping may complain, it still closes
        }
      }
      strict.close();
      hz2.shutdown();
      hz1.shutdown();
      broker.close();
      try (var walk = Files.walk(data)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static long count(ControlPlane cp) {
    return cp.store().list().stream().filter(w -> w.spec().name().startsWith("fo-")).count();
  }

  /** Every committed record of berth.workloads, by key, as a read_committed reader sees them. */
  private static Map<String, Integer> committedRecords(dev.berth.model.fleet.KafkaAccess kafka) {
    Map<String, Integer> out = new HashMap<>();
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(
            KafkaClientConfig.with(
                KafkaClientConfig.assignedConsumer(kafka), "isolation.level", "read_committed"))) {
      TopicPartition p = new TopicPartition(WorkloadTopic.TOPIC, 0);
      c.assign(List.of(p));
      c.seekToBeginning(List.of(p));
      long end = c.endOffsets(List.of(p)).get(p);
      List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
      long deadline = System.currentTimeMillis() + 20_000;
      while (c.position(p) < end && System.currentTimeMillis() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(all::add);
      }
      all.stream()
          .filter(r -> r.key().startsWith("fo-"))
          .forEach(r -> out.merge(r.key(), 1, Integer::sum));
    }
    return out;
  }

  private static ControlPlane start(
      StrictVertx strict,
      EmbeddedKafkaBroker broker,
      ApiAccess access,
      String identity,
      HazelcastInstance hz)
      throws Exception {
    return ControlPlane.start(
            strict.vertx(),
            new ControlPlaneConfig(
                broker.bootstrapServers(),
                0,
                identity,
                3000,
                1000,
                ControlPlaneConfig.DEFAULT_CLUSTER_CIDR,
                access),
            hz)
        .toCompletionStage()
        .toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
