package dev.berth.cli.bench;

import dev.berth.agent.images.ImageStore;
import dev.berth.agent.images.build.BuildOptions;
import dev.berth.agent.images.build.ImageBuilder;
import dev.berth.agent.images.registry.ImagePuller;
import dev.berth.agent.images.registry.ImagePusher;
import dev.berth.agent.images.registry.PullProgress;
import dev.berth.agent.images.registry.RegistryClient;
import dev.berth.agent.images.snapshot.Snapshotter;
import dev.berth.embedded.LoopbackRegistry;
import dev.berth.model.JsonMapping;
import dev.berth.model.image.Descriptor;
import dev.berth.model.image.ImageConfig;
import dev.berth.model.image.ImageReference;
import dev.berth.model.image.Manifest;
import dev.berth.model.image.Platform;
import dev.berth.runtime.files.FileTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Pull and unpack of one multi-layer image (made here, about 50 MB) from a loopback registry: Berth
 * (pull into an empty store, then the container rootfs from the layers) against skopeo copy to an
 * OCI layout followed by umoci unpack, interleaved.
 */
@Command(
    name = "images",
    description = "pull + unpack: Berth vs skopeo copy + umoci unpack, interleaved")
final class ImageBench implements Callable<Integer> {
  @Option(
      names = {"-n", "--iterations"},
      defaultValue = "10")
  int iterations;

  @Option(names = "--layers", defaultValue = "5")
  int layers;

  @Option(names = "--layer-mb", defaultValue = "10")
  int layerMb;

  @Override
  public Integer call() throws Exception {
    Path work = Files.createTempDirectory("berth-image-bench-");
    ExecutorService workers = Executors.newFixedThreadPool(4);
    try (LoopbackRegistry registry = new LoopbackRegistry()) {
      ImageReference ref = ImageReference.parse(registry.host() + "/bench/image:1");
      pushBenchImage(work, ref);
      RegistryClient client = new RegistryClient(Map.of());
      Samples berth = new Samples("berth pull + rootfs");
      Samples peers = new Samples("skopeo copy + umoci unpack");
      System.out.printf(
          "%d iterations, %d layers of %d MB (half random, half text), interleaved%n",
          iterations, layers, layerMb);
      for (int i = 0; i < iterations + 1; i++) {
        Path round = Files.createDirectories(work.resolve("round-" + i));
        boolean berthFirst = i % 2 == 0;
        for (int k = 0; k < 2; k++) {
          long t0 = System.nanoTime();
          if ((k == 0) == berthFirst) {
            runBerth(client, workers, ref, round.resolve("berth"));
            record(i, berth, System.nanoTime() - t0);
          } else {
            runPeers(registry, round.resolve("peers"));
            record(i, peers, System.nanoTime() - t0);
          }
        }
        FileTrees.delete(round);
      }
      System.out.printf("%-30s %10s %10s%n", "variant", "median s", "vs peers");
      for (Samples s : List.of(berth, peers)) {
        System.out.printf(
            "%-30s %10.3f %9.2fx%n",
            s.name(), s.medianMillis() / 1000, s.medianMillis() / peers.medianMillis());
      }
      return 0;
    } finally {
      workers.shutdownNow();
      FileTrees.delete(work);
    }
  }

  private static void record(int i, Samples s, long nanos) {
    if (i > 0) { // the first round warms caches and the JIT
      s.add(nanos);
    }
  }

  private void pushBenchImage(Path work, ImageReference ref) throws Exception {
    ImageStore source = new ImageStore(work.resolve("source"));
    Random random = new Random(7);
    List<Path> dirs = new ArrayList<>();
    for (int l = 0; l < layers; l++) {
      Path dir = Files.createDirectories(work.resolve("layer-" + l + "/data/" + l));
      for (int f = 0; f < layerMb * 4; f++) {
        byte[] bytes = new byte[256 * 1024];
        if (f % 2 == 0) {
          random.nextBytes(bytes); // incompressible
        } else {
          for (int b = 0; b < bytes.length; b++) {
            bytes[b] = (byte) ('a' + random.nextInt(8)); // compressible
          }
        }
        Files.write(dir.resolve("file-" + f), bytes);
      }
      dirs.add(work.resolve("layer-" + l));
    }
    new ImageBuilder(source)
        .build(dirs, BuildOptions.of(List.of("true")), ImageReference.parse("local/bench:1"));
    new ImagePusher(new RegistryClient(Map.of()), source, 16 << 20)
        .push(ImageReference.parse("local/bench:1"), ref, null, PullProgress.NONE);
    for (Path d : dirs) {
      FileTrees.delete(d);
    }
  }

  private static void runBerth(
      RegistryClient client, ExecutorService workers, ImageReference ref, Path dir)
      throws Exception {
    ImageStore store = new ImageStore(dir.resolve("store"));
    Descriptor top =
        new ImagePuller(client, store, workers)
            .pull(ref, Platform.host(), PullProgress.NONE)
            .target();
    Manifest m = JsonMapping.mapper().readValue(store.content().read(top.digest()), Manifest.class);
    ImageConfig c =
        JsonMapping.mapper()
            .readValue(store.content().read(m.config().digest()), ImageConfig.class);
    Snapshotter snapshots =
        new Snapshotter(
            store.content(), dir.resolve("snapshots"), Snapshotter.overlaySupported(), workers);
    snapshots.prepare("bench", m.layers(), c.rootfs().diffIds());
    snapshots.remove("bench");
  }

  private static void runPeers(LoopbackRegistry registry, Path dir) throws Exception {
    Files.createDirectories(dir);
    ExternalCommand.run(
        List.of(
            "skopeo",
            "copy",
            "--quiet",
            "--src-tls-verify=false",
            "docker://" + registry.host() + "/bench/image:1",
            "oci:" + dir.resolve("layout") + ":1"));
    ExternalCommand.run(
        List.of(
            "umoci",
            "unpack",
            "--image",
            dir.resolve("layout") + ":1",
            dir.resolve("bundle").toString()));
  }
}
