package dev.berth.agent.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.berth.agent.images.build.BuildOptions;
import dev.berth.agent.images.build.ImageBuilder;
import dev.berth.model.fleet.ContainerReport;
import dev.berth.agent.reconcile.Reconciler;
import dev.berth.controlplane.cluster.EmbeddedHazelcast;
import dev.berth.controlplane.cluster.NodeRegistry;
import dev.berth.controlplane.kafka.EmbeddedKafkaBroker;
import dev.berth.controlplane.scheduler.AssignmentLog;
import dev.berth.controlplane.scheduler.SchedulerPass;
import dev.berth.controlplane.specs.WorkloadStore;
import dev.berth.model.fleet.WorkloadSpecs;
import dev.berth.model.image.ImageReference;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.bundle.BusyboxRootfs;
import dev.berth.runtime.files.FileTrees;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * A workload applied to the spec store is scheduled through Kafka onto a real agent (Vert.x verticles), runs
 * as real containers, shows up in Hazelcast, and goes away when deleted.
 */
class AgentEndToEndTest {
  private static void await(BooleanSupplier condition, String what) throws Exception {
    for (int i = 0; i < 300; i++) {
      if (condition.getAsBoolean()) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new AssertionError("timed out waiting for " + what);
  }

  @Test
  void anAppliedWorkloadRunsOnTheAgentAndIsRemovedWhenDeleted() throws Exception {
    Path work = Files.createTempDirectory("berth-e2e-");
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
    HazelcastInstance hz = EmbeddedHazelcast.start("berth-e2e-" + ProcessHandle.current().pid());
    Vertx vertx = Vertx.vertx(new VertxOptions().setMaxEventLoopExecuteTime(200)
        .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));
    AgentNode agent = null;
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("kafka"), 0);
        WorkloadStore store = WorkloadStore.open(broker.bootstrapServers());
        AssignmentLog log = AssignmentLog.open(broker.bootstrapServers())) {
      AgentConfig config = new AgentConfig("node-a", work.resolve("agent"), broker.bootstrapServers(), 4000, 8L << 30,
          Map.of("zone", "a"), 3000, 500);
      agent = AgentNode.start(vertx, config, hz).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      new ImageBuilder(agent.images()).build(BusyboxRootfs.create(work.resolve("rootfs")),
          BuildOptions.of(List.of("sleep", "60")), ImageReference.parse("local/busybox:1"));
      NodeRegistry nodes = new NodeRegistry(hz, System::currentTimeMillis);
      await(() -> nodes.alive().size() == 1, "the agent's lease");
      SchedulerPass scheduler = new SchedulerPass(store, nodes, log);

      store.apply(WorkloadSpecs.read("{\"name\":\"web\",\"image\":\"local/busybox:1\",\"replicas\":2}".getBytes(),
          false));
      scheduler.run();
      ContainerRuntime runtime = new ContainerRuntime(work.resolve("agent/runtime"));
      await(() -> runtime.list().stream().filter(s -> s.status().equals("running")).count() == 2,
          "two running containers");
      IMap<String, ContainerReport> containers = hz.getMap(dev.berth.model.fleet.FleetMaps.CONTAINERS);
      await(() -> containers.values().stream().filter(r -> r.state().equals("running")).count() == 2,
          "both reported running in Hazelcast");

      String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + agent.metricsPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
      assertTrue(metrics.contains("berth_agent_reconcile_seconds_count"), metrics);
      assertTrue(metrics.contains("berth_agent_containers_desired 2.0"), metrics);

      store.delete("web");
      scheduler.run();
      await(() -> runtime.list().isEmpty(), "the containers to go");
      assertEquals(List.of(), runtime.list());
    } finally {
      if (agent != null) {
        Reconciler r = agent.reconciler();
        agent.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        r.reconcile(List.of());
        r.releaseCgroupParent();
      }
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      hz.shutdown();
      FileTrees.delete(work);
    }
  }
}
