package dev.berth.cli.bench;

import dev.berth.agent.AgentLayout;
import dev.berth.agent.network.NetworkSettings;
import dev.berth.cli.fleet.SingleMachineFleet;
import dev.berth.model.runtime.State;
import dev.berth.runtime.ContainerNotFoundException;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.files.FileTrees;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Apply-to-running latency on the single-machine fleet (`berth up` in this process): for each of N
 * single-container workloads, from the HTTP apply to the container's process running on the agent,
 * with everything in between for real (Kafka, scheduler, assignment consumer, reconciler, overlay
 * rootfs, runtime).
 */
@Command(
    name = "apply",
    description = "apply-to-running latency of single-container workloads on one agent")
final class ApplyToRunningBench implements Callable<Integer> {
  private static final String BRIDGE = "berthbench0";

  /** Kubernetes' pod start-up SLO is 5 s at p99; Berth's targets are far below it. */
  static final double TARGET_MEDIAN_MS = 100;

  static final double TARGET_P99_MS = 500;

  @Option(
      names = {"-n", "--workloads"},
      defaultValue = "100")
  int workloads;

  @Option(
      names = "--warmup",
      defaultValue = "5",
      description = "workloads applied first and not counted")
  int warmup;

  @Override
  public Integer call() throws Exception {
    Path state = Files.createTempDirectory("berth-apply-bench-");
    Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path examples = Files.createDirectories(state.resolve("examples"));
    Files.writeString(
        examples.resolve("warm.yaml"), spec("bench-image", 0)); // builds the busybox image once
    SingleMachineFleet fleet =
        SingleMachineFleet.start(
            new SingleMachineFleet.Options(
                state.resolve("berth"),
                0,
                0,
                "bench",
                examples,
                Map.of(),
                // Its own default network, so that the bench measures attaching too (CNI ADD).
                NetworkSettings.in(state.resolve("net.d"), BRIDGE)),
            new PrintStream(PrintStream.nullOutputStream()));
    ContainerRuntime runtime = new ContainerRuntime(state.resolve("berth/agent-bench/runtime"));
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String api = "http://127.0.0.1:" + fleet.apiPort() + "/v1/workloads";
    try {
      Samples latency = new Samples("apply -> running");
      System.out.printf(
          "%d single-container workloads applied one after another (%d more first as warm-up)%n",
          workloads, warmup);
      for (int i = 0; i < warmup + workloads; i++) {
        String name = "bench-" + i;
        long t0 = System.nanoTime();
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(api))
                    .header("Content-Type", "application/yaml")
                    .POST(HttpRequest.BodyPublishers.ofString(spec(name, 1)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
          throw new IllegalStateException(
              "apply " + name + ": HTTP " + r.statusCode() + " " + r.body());
        }
        awaitRunning(runtime, name + "-g1-r0");
        if (i >= warmup) {
          latency.add(System.nanoTime() - t0);
        }
      }
      double median = latency.medianMillis();
      double p99 = latency.percentileMillis(99);
      System.out.printf("%-20s %10s %10s %10s%n", "", "median ms", "p99 ms", "max ms");
      System.out.printf(
          "%-20s %10.1f %10.1f %10.1f%n",
          latency.name(), median, p99, latency.percentileMillis(100));
      System.out.printf("%-20s %10.1f %10.1f%n", "target", TARGET_MEDIAN_MS, TARGET_P99_MS);
      System.out.printf(
          "%-20s %9.2fx %9.2fx%n", "vs target", median / TARGET_MEDIAN_MS, p99 / TARGET_P99_MS);
      return 0;
    } finally {
      fleet.close(); // first: a running agent would start again what is removed below
      fleet.agent().reconciler().reconcile(List.of());
      fleet.agent().reconciler().releaseCgroupParent();
      if (fleet.agent().podNetwork() != null) {
        fleet.agent().podNetwork().tearDown(AgentLayout.inFleet(state.resolve("berth"), "bench"));
      }
      FileTrees.delete(state);
    }
  }

  private static String spec(String name, int replicas) {
    return "name: "
        + name
        + "\nimage: "
        + SingleMachineFleet.EXAMPLE_IMAGE
        + "\ncommand: [sleep]\nargs: [\"600\"]\n"
        + "replicas: "
        + replicas
        + "\nresources:\n  requests: {cpu: 1m, memory: 1Mi}\n";
  }

  /** Polls the runtime's state (a file read) until the container's process runs. */
  private static void awaitRunning(ContainerRuntime runtime, String id) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      try {
        State s = runtime.state(id);
        if (s.status().equals("running")) {
          return;
        }
      } catch (ContainerNotFoundException e) {
        // not created yet
      }
      TimeUnit.MICROSECONDS.sleep(500);
    }
    throw new IllegalStateException("container " + id + " not running after 30 s");
  }
}
