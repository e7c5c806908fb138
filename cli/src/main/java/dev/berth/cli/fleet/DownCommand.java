package dev.berth.cli.fleet;

import dev.berth.agent.images.ImageStore;
import dev.berth.agent.images.registry.ImagePuller;
import dev.berth.agent.images.registry.RegistryClient;
import dev.berth.agent.images.snapshot.Snapshotter;
import dev.berth.agent.node.AgentConfig;
import dev.berth.agent.reconcile.Reconciler;
import dev.berth.agent.reconcile.ReconcilerConfig;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.files.FileTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `berth down`: removes what `berth up` left running (containers, their rootfs mounts, cgroups). */
@Command(name = "down", description = "remove the single-machine fleet's containers (after berth up stopped)")
public final class DownCommand implements Callable<Integer> {
  @Option(names = "--state-dir", defaultValue = "/var/lib/berth")
  Path stateDir;

  @Option(names = "--purge", description = "also delete all state: workloads, images, Kafka's log")
  boolean purge;

  @Override
  public Integer call() throws Exception {
    if (!Files.isDirectory(stateDir)) {
      System.out.println("nothing at " + stateDir);
      return 0;
    }
    try (Stream<Path> dirs = Files.list(stateDir)) {
      for (Path agentDir : dirs.filter(d -> d.getFileName().toString().startsWith("agent-")).toList()) {
        String node = agentDir.getFileName().toString().substring("agent-".length());
        ImageStore images = new ImageStore(agentDir.resolve("images"));
        Snapshotter snapshots = new Snapshotter(images.content(), agentDir.resolve("snapshots"),
            Snapshotter.overlaySupported());
        ContainerRuntime runtime = new ContainerRuntime(agentDir.resolve("runtime"));
        int before = runtime.list().size();
        String parent = new AgentConfig(node, agentDir, null, 0, 0, Map.of(), 0, 0, 0, 0).cgroupParent();
        Reconciler reconciler = new Reconciler(new ReconcilerConfig(agentDir, node, parent), runtime, images,
            snapshots, new ImagePuller(new RegistryClient(Map.of()), images, null) /* never pulls: nothing is desired */,
            System::currentTimeMillis);
        reconciler.reconcile(List.of());
        reconciler.releaseCgroupParent();
        System.out.println("node " + node + ": removed " + before + " containers");
      }
    }
    if (purge) {
      FileTrees.delete(stateDir);
      System.out.println("deleted " + stateDir);
    }
    return 0;
  }
}
