package dev.berth.cli.bench;

import com.hazelcast.core.HazelcastInstance;
import dev.berth.controlplane.auth.ApiAccess;
import dev.berth.controlplane.cluster.NodeRegistry;
import dev.berth.controlplane.kafka.KafkaTopics;
import dev.berth.controlplane.kafka.NodeKafkaGrants;
import dev.berth.controlplane.pki.ApiCredentials;
import dev.berth.controlplane.scheduler.AssignmentLog;
import dev.berth.controlplane.scheduler.SchedulerPass;
import dev.berth.controlplane.scheduler.SchedulingStatuses;
import dev.berth.controlplane.specs.WorkloadStore;
import dev.berth.embedded.EmbeddedHazelcast;
import dev.berth.embedded.EmbeddedKafkaBroker;
import dev.berth.model.fleet.AssignmentTopic;
import dev.berth.model.fleet.FleetMaps;
import dev.berth.model.fleet.KafkaAccess;
import dev.berth.model.fleet.KafkaClientConfig;
import dev.berth.model.fleet.NodeRecord;
import dev.berth.model.fleet.WorkloadSpecs;
import dev.berth.model.pki.CertificateAuthority;
import dev.berth.runtime.files.FileTrees;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Scheduler throughput end to end through Kafka: R replicas (W workloads) over N simulated nodes
 * that hold leases in Hazelcast and acknowledge by reading their assignments from
 * berth.assignments. Timed from the scheduler pass's start until the last assignment has been read
 * back.
 */
@Command(
    name = "scheduler",
    description = "placements per second: replicas over simulated nodes, through Kafka")
final class SchedulerBench implements Callable<Integer> {
  /** Nomad's C2M placed 2 million containers in 22 minutes: about 1,500 a second. */
  static final double NOMAD_C2M_PER_SECOND = 1500;

  static final double TARGET_PER_SECOND = 10_000;

  @Option(names = "--nodes", defaultValue = "10000")
  int nodes;

  @Option(names = "--replicas", defaultValue = "100000")
  int replicas;

  @Option(names = "--workloads", defaultValue = "1000")
  int workloads;

  @Option(
      names = {"-n", "--rounds"},
      defaultValue = "3")
  int rounds;

  @Override
  public Integer call() throws Exception {
    Path work = Files.createTempDirectory("berth-scheduler-bench-");
    HazelcastInstance hz = EmbeddedHazelcast.start("berth-bench-" + ProcessHandle.current().pid());
    ApiAccess access = ApiCredentials.ensure(work.resolve("pki"), List.of());
    try (EmbeddedKafkaBroker broker =
            EmbeddedKafkaBroker.start(
                work.resolve("kafka"), 0, CertificateAuthority.openOrCreate(access.dir()));
        WorkloadStore store = WorkloadStore.open(access.kafka(broker.bootstrapServers()));
        AssignmentLog log = AssignmentLog.open(access.kafka(broker.bootstrapServers()))) {
      List<String> names = registerNodes(hz);
      long made = System.nanoTime();
      createTopics(access.kafka(broker.bootstrapServers()), names);
      System.out.printf(
          "%d nodes' assignments topics created in %.1f s (not timed below)%n",
          nodes, (System.nanoTime() - made) / 1e9);
      awaitLeaders(access.kafka(broker.bootstrapServers()), names);
      log.reload(); // it learns the topics, as a new leader does
      KafkaConsumer<String, byte[]> acks =
          nodesFeed(access.kafka(broker.bootstrapServers()), names);
      SchedulerPass pass =
          new SchedulerPass(
              store,
              new NodeRegistry(hz, System::currentTimeMillis),
              log,
              new SchedulingStatuses(hz));
      int perWorkload = replicas / workloads;
      System.out.printf(
          "%d replicas (%d workloads x %d) over %d simulated nodes, %d rounds%n",
          perWorkload * workloads, workloads, perWorkload, nodes, rounds);
      Samples seconds = new Samples("placements");
      List<String> previous = List.of();
      for (int round = 0; round < rounds; round++) {
        for (String name : previous) {
          store.delete(name);
        }
        pass.run(); // tombstones for the previous round, not timed
        drain(acks, -1);
        List<String> applied = new ArrayList<>();
        for (int w = 0; w < workloads; w++) {
          String name = "r" + round + "-w" + w;
          store.apply(
              WorkloadSpecs.read(
                  ("{\"name\":\""
                          + name
                          + "\",\"image\":\"busybox\",\"replicas\":"
                          + perWorkload
                          + ",\"resources\":{\"requests\":{\"cpu\":\"10m\",\"memory\":\"16Mi\"}}}")
                      .getBytes(StandardCharsets.UTF_8),
                  false));
          applied.add(name);
        }
        long t0 = System.nanoTime();
        SchedulerPass.Outcome outcome = pass.run();
        long placedAt = System.nanoTime();
        drain(acks, perWorkload * workloads);
        long t1 = System.nanoTime();
        seconds.add(t1 - t0);
        System.out.printf(
            "round %d: %d placed (%d unschedulable), pass %.2f s, all read back by the nodes %.2f s: "
                + "%.0f placements/s%n",
            round + 1,
            outcome.placed(),
            outcome.unschedulable(),
            (placedAt - t0) / 1e9,
            (t1 - t0) / 1e9,
            outcome.placed() / ((t1 - t0) / 1e9));
        previous = applied;
      }
      double median = perWorkload * workloads / (seconds.medianMillis() / 1000);
      System.out.printf("%-28s %12s %14s %14s%n", "", "placements/s", "vs target", "vs Nomad C2M");
      System.out.printf(
          "%-28s %12.0f %13.2fx %13.2fx%n",
          "berth (median round)",
          median,
          median / TARGET_PER_SECOND,
          median / NOMAD_C2M_PER_SECOND);
      acks.close();
      return 0;
    } finally {
      hz.shutdown();
      FileTrees.delete(work);
    }
  }

  /** Creates the nodes' topics as their joins would, in batches. */
  private static void createTopics(KafkaAccess kafka, List<String> names) {
    try (Admin admin = Admin.create(KafkaClientConfig.admin(kafka))) {
      for (int i = 0; i < names.size(); i += 500) {
        KafkaTopics.ensure(
            admin,
            names.subList(i, Math.min(names.size(), i + 500)).stream()
                .map(NodeKafkaGrants::assignmentsTopic)
                .toList());
      }
    }
  }

  /** Until the broker leads every node's partition: nodes join over time, not in one second. */
  private static void awaitLeaders(KafkaAccess kafka, List<String> names) throws Exception {
    try (Admin admin = Admin.create(KafkaClientConfig.admin(kafka))) {
      List<String> topics = names.stream().map(AssignmentTopic::topicOf).toList();
      while (true) {
        try {
          if (admin.describeTopics(topics).allTopicNames().get().values().stream()
              .allMatch(d -> d.partitions().get(0).leader() != null)) {
            return;
          }
        } catch (java.util.concurrent.ExecutionException notYet) {
          // the broker has not heard of them all yet
        }
        Thread.sleep(200);
      }
    }
  }

  private List<String> registerNodes(HazelcastInstance hz) {
    Map<String, NodeRecord> batch = new HashMap<>();
    long lease =
        System.currentTimeMillis() + Duration.ofHours(1).toMillis(); // they stay alive for the run
    for (int n = 0; n < nodes; n++) {
      String name = String.format("sim-%05d", n);
      batch.put(
          name,
          new NodeRecord(
              name,
              4000,
              8L << 30,
              4000,
              8L << 30,
              Map.of("zone", "z" + (n % 3)),
              lease,
              null,
              null,
              null));
    }
    hz.<String, NodeRecord>getMap(FleetMaps.NODES).putAll(batch);
    return List.copyOf(batch.keySet());
  }

  /** All nodes' topics, as their feeds read them: one consumer stands for the simulated nodes. */
  private static KafkaConsumer<String, byte[]> nodesFeed(KafkaAccess kafka, List<String> names) {
    KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(
            KafkaClientConfig.with(
                KafkaClientConfig.with(
                    KafkaClientConfig.assignedConsumer(kafka), "max.poll.records", 10_000),
                "fetch.max.wait.ms",
                50));
    List<TopicPartition> parts = new ArrayList<>();
    for (String node : names) {
      parts.add(new TopicPartition(AssignmentTopic.topicOf(node), 0));
    }
    c.assign(parts);
    c.seekToBeginning(parts);
    return c;
  }

  /**
   * Reads until {@code expected} placements (non-tombstones) arrived, or until the log is quiet
   * when -1.
   */
  private static void drain(KafkaConsumer<String, byte[]> c, int expected) {
    int seen = 0;
    int quiet = 0;
    while (expected < 0 ? quiet < 3 : seen < expected) {
      int got = 0;
      for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
        got++;
        if (r.value() != null) {
          AssignmentTopic.decode(r.value()); // a node reads what it was given
          seen++;
        }
      }
      quiet = got == 0 ? quiet + 1 : 0;
    }
  }
}
