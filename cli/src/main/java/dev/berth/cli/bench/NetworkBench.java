package dev.berth.cli.bench;

import dev.berth.agent.network.ContainerNetworks;
import dev.berth.agent.network.NetworkSettings;
import dev.berth.agent.network.cni.CniPlugins;
import dev.berth.runtime.bundle.BusyboxRootfs;
import dev.berth.runtime.files.FileTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Containers with a network, Berth against podman in the same run, interleaved: Berth's apply to
 * running and delete to gone on the single-machine fleet (CNI ADD and DEL included), podman's `run
 * -d --network bridge` and `rm -f` on the same busybox, the same with `--network none`, and the
 * network part alone: Berth's attach and detach (loopback and bridge chains) timed by themselves,
 * podman's estimated as the difference between its bridge and none runs.
 */
@Command(
    name = "network",
    description = "containers with a network: Berth's fleet against podman run --network bridge")
final class NetworkBench implements Callable<Integer> {
  private static final String PODMAN_IMAGE = "localhost/berth-bench-busybox:1";

  /** The target for apply to running with a network. */
  static final double TARGET_MEDIAN_MS = 150;

  @Option(
      names = {"-n", "--containers"},
      defaultValue = "100")
  int containers;

  @Option(names = "--warmup", defaultValue = "5", description = "rounds first and not counted")
  int warmup;

  @Override
  public Integer call() throws Exception {
    boolean podman = PodmanPeer.available();
    if (!podman) {
      System.out.println("podman not found (apt-get install podman): Berth alone");
    }
    Samples berthUp = new Samples("berth apply -> running");
    Samples berthDown = new Samples("berth delete -> gone");
    Samples attach = new Samples("berth network ADD");
    Samples detach = new Samples("berth network DEL");
    Samples podmanUp = new Samples("podman run bridge");
    Samples podmanDown = new Samples("podman rm bridge");
    Samples podmanUpNone = new Samples("podman run none");
    Samples podmanDownNone = new Samples("podman rm none");
    Path rootfs = Files.createTempDirectory("berth-netbench-rootfs-");
    try (BenchFleet fleet = BenchFleet.start("berth-net-bench-");
        PodmanPeer peer =
            podman ? PodmanPeer.withImage(BusyboxRootfs.create(rootfs), PODMAN_IMAGE) : null) {
      NetworkSettings settings =
          NetworkSettings.in(
              fleet.fleet().agent().podNetwork().confFile().getParent(), BenchFleet.BRIDGE);
      CniPlugins plugins = new CniPlugins(settings.pluginDirs(), settings.pluginTimeout());
      ContainerNetworks networks =
          new ContainerNetworks(
              plugins, ContainerNetworks.firstNetwork(settings.confDir(), plugins), "netbench");
      Path records = Files.createTempDirectory("berth-netbench-records-");
      System.out.printf(
          "%d containers, one after another, each variant in turn (%d more first as warm-up)%n",
          containers, warmup);
      try {
        for (int i = 0; i < warmup + containers; i++) {
          boolean counted = i >= warmup;
          String name = "net-" + i;
          long t0 = System.nanoTime();
          fleet.apply(name);
          fleet.awaitRunning(BenchFleet.containerOf(name));
          long t1 = System.nanoTime();
          fleet.delete(name);
          fleet.awaitGone(BenchFleet.containerOf(name));
          long t2 = System.nanoTime();
          if (counted) {
            berthUp.add(t1 - t0);
            berthDown.add(t2 - t1);
          }

          Path record = records.resolve("alone-" + i + ".json");
          t0 = System.nanoTime();
          networks.attach("alone-" + i, record, ContainerNetworks.Mode.DEFAULT, List.of());
          t1 = System.nanoTime();
          networks.detach(record);
          t2 = System.nanoTime();
          if (counted) {
            attach.add(t1 - t0);
            detach.add(t2 - t1);
          }

          if (peer != null) {
            peer.runAndRemove(
                "berth-net-bench-" + i,
                "bridge",
                counted ? podmanUp : null,
                counted ? podmanDown : null);
            peer.runAndRemove(
                "berth-net-bench-none-" + i,
                "none",
                counted ? podmanUpNone : null,
                counted ? podmanDownNone : null);
          }
        }
      } finally {
        FileTrees.delete(records);
      }
    } finally {
      FileTrees.delete(rootfs);
    }
    List<Samples> all = new ArrayList<>(List.of(berthUp, berthDown, attach, detach));
    if (podman) {
      all.addAll(List.of(podmanUp, podmanDown, podmanUpNone, podmanDownNone));
    }
    System.out.printf("%-26s %10s %10s%n", "", "median ms", "p99 ms");
    for (Samples s : all) {
      System.out.printf(
          "%-26s %10.1f %10.1f%n", s.name(), s.medianMillis(), s.percentileMillis(99));
    }
    if (podman) {
      double podmanNet = podmanUp.medianMillis() - podmanUpNone.medianMillis();
      double podmanNetDel = podmanDown.medianMillis() - podmanDownNone.medianMillis();
      System.out.printf(
          "%-26s %10.1f   (run bridge - run none)%n", "podman network set-up", podmanNet);
      System.out.printf(
          "%-26s %10.1f   (rm bridge - rm none)%n", "podman network tear-down", podmanNetDel);
      System.out.printf(
          "%-26s %9.2fx%n", "berth ADD / podman's", attach.medianMillis() / podmanNet);
      System.out.printf(
          "%-26s %9.2fx%n",
          "berth run / podman run", berthUp.medianMillis() / podmanUp.medianMillis());
    }
    System.out.printf(
        "%-26s %9.2fx   (target %.0f ms)%n",
        "berth run vs target", berthUp.medianMillis() / TARGET_MEDIAN_MS, TARGET_MEDIAN_MS);
    return 0;
  }
}
