package dev.berth.cli.fleet;

import dev.berth.agent.images.registry.RegistryHostsFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
      description =
          "all of the fleet's state (default: /var/lib/berth; with --rootless"
              + " $XDG_DATA_HOME/berth or ~/.local/share/berth)")
  Path stateDir;

  @Option(
      names = "--rootless",
      description =
          "run as an ordinary user: the fleet in user, mount and pid namespaces of its own (root"
              + " there is you, with your /etc/subuid range), containers networked by slirp4netns,"
              + " no resource limits; everything stops with it")
  boolean rootless;

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

  /** How the rootless fleet inside learns its state directory. */
  private static final String STATE_DIR_ENV = "BERTH_ROOTLESS_STATE_DIR";

  @Override
  public Integer call() throws Exception {
    if (rootless && !RootlessNamespace.inside()) {
      if (((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue() == 0) {
        System.err.println("berth: --rootless is for an ordinary user; as root, run berth up");
        return 2;
      }
      // again, inside namespaces of its own: the same command line, which says --rootless; the
      // state directory is found out here, where the user is still who they are (root inside)
      return RootlessNamespace.run(
          ownCommandLine(),
          Map.of(STATE_DIR_ENV, (stateDir != null ? stateDir : userDataDir()).toString()));
    }
    if (stateDir == null) {
      String given = RootlessNamespace.inside() ? System.getenv(STATE_DIR_ENV) : null;
      stateDir = given != null ? Path.of(given) : Path.of("/var/lib/berth");
    }
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
        fleet,
        rootless
            ? "stopping (its containers end with its namespaces; the next `berth up --rootless`"
                + " starts them again)"
            : "stopping (containers keep running; the next `berth up` adopts them)");
    return 0;
  }

  /** Where an ordinary user's fleet lives, as Podman's storage: the XDG data directory. */
  private static Path userDataDir() {
    String xdg = System.getenv("XDG_DATA_HOME");
    if (xdg != null && xdg.startsWith("/")) {
      return Path.of(xdg, "berth");
    }
    String home = System.getenv("HOME");
    if (home == null || !home.startsWith("/")) {
      home = System.getProperty("user.home");
    }
    if (home == null || home.isEmpty() || !Files.isDirectory(Path.of(home))) {
      throw new IllegalArgumentException(
          "--rootless: no home directory (" + home + ") to keep the fleet in; give --state-dir");
    }
    return Path.of(home, ".local", "share", "berth");
  }

  /** This JVM's command line, as the kernel has it. */
  private static List<String> ownCommandLine() throws java.io.IOException {
    String raw =
        new String(Files.readAllBytes(Path.of("/proc/self/cmdline")), StandardCharsets.UTF_8);
    List<String> argv = new ArrayList<>(List.of(raw.split("\0")));
    argv.removeIf(String::isEmpty);
    return argv;
  }
}
