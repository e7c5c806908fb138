package dev.berth.cli.fleet;

import dev.berth.agent.images.registry.RegistryHostsFile;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * `berth up`: the whole single-machine fleet in this process, until Ctrl-C (containers keep
 * running).
 */
@Command(
    name = "up",
    description = "run the whole single-machine fleet: Kafka, Hazelcast, control plane, one agent")
public final class UpCommand implements Callable<Integer> {
  @Option(
      names = "--state-dir",
      defaultValue = "/var/lib/berth",
      description = "all of the fleet's state")
  Path stateDir;

  @Option(names = "--kafka-port", defaultValue = "19092")
  int kafkaPort;

  @Option(names = "--api-port", defaultValue = "7070")
  int apiPort;

  @Option(names = "--node", defaultValue = "local", description = "this machine's node name")
  String node;

  @Option(
      names = "--registry-config",
      description = "registry mirrors, credentials and plain-HTTP hosts (YAML)")
  Path registryConfig;

  @Mixin NetworkOptions network = new NetworkOptions();

  @Mixin PolicyOptions policy = new PolicyOptions();

  @Option(
      names = "--examples",
      description = "workload specs to apply (default: the repository's examples/)")
  Path examples;

  @Override
  public Integer call() throws Exception {
    Path specs =
        examples != null ? examples : Path.of(System.getProperty("berth.home", "."), "examples");
    SingleMachineFleet fleet =
        SingleMachineFleet.start(
            new SingleMachineFleet.Options(
                stateDir,
                kafkaPort,
                apiPort,
                node,
                specs,
                registryConfig == null ? Map.of() : RegistryHostsFile.read(registryConfig),
                network.settings(),
                policy.policy()),
            System.out);
    System.out.println();
    System.out.println(
        "Berth is up. Workload API: https://127.0.0.1:"
            + fleet.apiPort()
            + "/v1/workloads"
            + "   Kafka: "
            + fleet.kafkaBootstrap()
            + "   state: "
            + stateDir);
    System.out.println(
        "Credentials (CA, admin token) for the berth command: "
            + stateDir.resolve("client.json")
            + " (root only)");
    System.out.println("Try: berth get workloads   (Ctrl-C stops)");
    UntilStopped.await(
        fleet, "stopping (containers keep running; the next `berth up` adopts them)");
    return 0;
  }
}
