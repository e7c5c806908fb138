package dev.berth.cli.fleet;

import dev.berth.agent.AgentLayout;
import dev.berth.agent.images.ImageStore;
import dev.berth.agent.images.registry.ImagePuller;
import dev.berth.agent.images.registry.PullProgress;
import dev.berth.agent.images.registry.RegistryClient;
import dev.berth.agent.images.snapshot.Snapshotter;
import dev.berth.agent.network.ContainerNetworks;
import dev.berth.agent.network.NetworkSettings;
import dev.berth.agent.network.PodNetwork;
import dev.berth.agent.network.cni.CniPlugins;
import dev.berth.agent.reconcile.LeaseFence;
import dev.berth.agent.reconcile.Reconciler;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.files.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `berth down`: removes what `berth up` left running (containers, their rootfs mounts, cgroups,
 * network attachments) and the network its agents wrote for themselves (bridge, config, NAT rule).
 */
@Command(
    name = "down",
    description = "remove the single-machine fleet's containers (after berth up stopped)")
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
    FleetLock running;
    try {
      running = FleetLock.acquire(stateDir);
    } catch (IOException held) {
      System.err.println("berth: " + held.getMessage());
      return 1;
    }
    try (running) {
      return down();
    }
  }

  private int down() throws Exception {
    boolean failed = false;
    for (AgentLayout agent : AgentLayout.foundIn(stateDir)) {
      ImageStore images = new ImageStore(agent.images());
      Snapshotter snapshots =
          new Snapshotter(images.content(), agent.snapshots(), Snapshotter.overlaySupported());
      ContainerRuntime runtime = new ContainerRuntime(agent.runtime());
      PodNetwork pods = PodNetwork.recorded(agent);
      int before = runtime.list().size();
      Reconciler reconciler =
          new Reconciler(
              agent,
              runtime,
              images,
              snapshots,
              new ImagePuller(
                  new RegistryClient(Map.of()), images, null) /* never pulls: nothing is desired */,
              System::currentTimeMillis,
              PullProgress.NONE,
              // DEL uses each container's recorded networks: no node network needed here.
              new ContainerNetworks(
                  new CniPlugins(
                      pods != null ? pods.pluginDirs() : NetworkSettings.DEFAULT.pluginDirs(),
                      NetworkSettings.DEFAULT.pluginTimeout()),
                  null,
                  agent.nodeName()),
              LeaseFence.neverHeld(agent.leaseDeadline()));
      reconciler.reconcile(List.of());
      List<String> left = leftOver(agent, runtime, snapshots);
      if (!left.isEmpty()) {
        // the state that says what to undo stays: the next `berth down` tries again
        System.err.println(
            "berth: node "
                + agent.nodeName()
                + ": could not remove "
                + left
                + " (see the warnings above); run berth down again before deleting "
                + stateDir);
        failed = true;
        continue;
      }
      reconciler.releaseCgroupParent();
      System.out.println("node " + agent.nodeName() + ": removed " + before + " containers");
      if (pods != null && runtime.list().isEmpty()) {
        pods.tearDown(agent);
        System.out.println(
            "node "
                + agent.nodeName()
                + ": removed bridge "
                + pods.bridge()
                + " ("
                + pods.subnet()
                + ") and its network config");
      }
    }
    if (failed) {
      return 1;
    }
    if (purge) {
      FileTrees.delete(stateDir);
      System.out.println("deleted " + stateDir);
    }
    return 0;
  }

  /**
   * What a removal pass left: containers the runtime still has, bundles and rootfs snapshots still
   * on disk.
   */
  private static List<String> leftOver(
      AgentLayout agent, ContainerRuntime runtime, Snapshotter snapshots) throws Exception {
    List<String> left = new java.util.ArrayList<>();
    runtime.list().forEach(s -> left.add(s.id()));
    if (Files.isDirectory(agent.bundles())) {
      try (var dirs = Files.list(agent.bundles())) {
        dirs.map(d -> d.getFileName().toString())
            .filter(id -> !left.contains(id))
            .forEach(left::add);
      }
    }
    snapshots.containerIds().stream().filter(id -> !left.contains(id)).forEach(left::add);
    return left;
  }
}
