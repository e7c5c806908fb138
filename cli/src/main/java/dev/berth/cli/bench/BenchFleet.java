package dev.berth.cli.bench;

import dev.berth.agent.AgentLayout;
import dev.berth.agent.network.NetworkSettings;
import dev.berth.cli.fleet.SingleMachineFleet;
import dev.berth.cli.fleetctl.ApiClient;
import dev.berth.cli.fleetctl.ClientConfig;
import dev.berth.model.runtime.State;
import dev.berth.runtime.ContainerNotFoundException;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.files.FileTrees;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A single-machine fleet (`berth up` in this process) in a temporary directory for a benchmark, on
 * a network of its own (bridge {@value #BRIDGE}) so that attaching is measured too; closing it
 * removes every container, the network and the directory.
 */
final class BenchFleet implements AutoCloseable {
  static final String NODE = "bench";
  static final String BRIDGE = "berthbench0";

  private final Path state;
  private final SingleMachineFleet fleet;
  private final ContainerRuntime runtime;
  private final ApiClient api;

  private BenchFleet(Path state, SingleMachineFleet fleet) {
    this.state = state;
    this.fleet = fleet;
    this.runtime = new ContainerRuntime(state.resolve("berth/agent-" + NODE + "/runtime"));
    this.api = new ApiClient(fleet.client(), state.resolve("berth/" + ClientConfig.FILE));
  }

  static BenchFleet start(String prefix) throws Exception {
    Path state = Files.createTempDirectory(prefix);
    Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path examples = Files.createDirectories(state.resolve("examples"));
    // Builds the busybox image once, before anything is measured.
    Files.writeString(examples.resolve("warm.yaml"), spec("bench-image", 0));
    SingleMachineFleet fleet =
        SingleMachineFleet.start(
            new SingleMachineFleet.Options(
                state.resolve("berth"),
                0,
                0,
                NODE,
                examples,
                Map.of(),
                NetworkSettings.in(state.resolve("net.d"), BRIDGE)),
            new PrintStream(PrintStream.nullOutputStream()));
    return new BenchFleet(state, fleet);
  }

  /** One replica of busybox sleeping, with the least resources. */
  static String spec(String name, int replicas) {
    return "name: "
        + name
        + "\nimage: "
        + SingleMachineFleet.EXAMPLE_IMAGE
        + "\ncommand: [sleep]\nargs: [\"600\"]\n"
        + "replicas: "
        + replicas
        + "\nresources:\n  requests: {cpu: 1m, memory: 1Mi}\n";
  }

  SingleMachineFleet fleet() {
    return fleet;
  }

  ContainerRuntime runtime() {
    return runtime;
  }

  /** The container id of a workload's only replica. */
  static String containerOf(String workload) {
    return workload + "-g1-r0";
  }

  void apply(String name) throws Exception {
    send("POST", "/v1/workloads", spec(name, 1).getBytes(StandardCharsets.UTF_8), 201);
  }

  /** A client of the fleet's API with the admin's credentials and a connection of its own. */
  ApiClient newApiClient() {
    return new ApiClient(fleet.client(), state.resolve("berth/" + ClientConfig.FILE));
  }

  /** GET /v1/whoami through {@code client}: a request that is all TLS, token check and routing. */
  void whoami(ApiClient client) throws Exception {
    ApiClient.Answer a = client.send("GET", "/v1/whoami", null, null);
    if (a.status() != 200) {
      throw new IllegalStateException("GET /v1/whoami: HTTP " + a.status());
    }
  }

  void delete(String name) throws Exception {
    send("DELETE", "/v1/workloads/" + name, null, 200);
  }

  private void send(String method, String path, byte[] body, int expected) throws Exception {
    ApiClient.Answer a = api.send(method, path, body == null ? null : "application/yaml", body);
    if (a.status() != expected) {
      throw new IllegalStateException(
          method + " " + path + ": HTTP " + a.status() + " " + ApiClient.error(a));
    }
  }

  /** Polls the runtime's state (a file read) until the container's process runs. */
  void awaitRunning(String id) throws Exception {
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

  /** Polls until the container and its bundle (with its network record) are gone. */
  void awaitGone(String id) throws Exception {
    Path bundle = AgentLayout.inFleet(state.resolve("berth"), NODE).bundle(id);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!Files.exists(bundle) && runtime.list().stream().noneMatch(s -> s.id().equals(id))) {
        return;
      }
      TimeUnit.MICROSECONDS.sleep(500);
    }
    throw new IllegalStateException("container " + id + " still there after 30 s");
  }

  @Override
  public void close() throws Exception {
    try {
      fleet.close(); // first: a running agent would start again what is removed below
      fleet.agent().reconciler().reconcile(List.of());
      fleet.agent().reconciler().releaseCgroupParent();
      if (fleet.agent().podNetwork() != null) {
        fleet.agent().podNetwork().tearDown(AgentLayout.inFleet(state.resolve("berth"), NODE));
      }
    } finally {
      FileTrees.delete(state);
    }
  }
}
