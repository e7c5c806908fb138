package dev.berth.cli.bench;

import dev.berth.agent.images.ImageStore;
import dev.berth.agent.images.build.BuildOptions;
import dev.berth.agent.images.build.ImageBuilder;
import dev.berth.agent.local.LocalLayout;
import dev.berth.model.image.ImageReference;
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
 * `berth bench run`: `bin/berth run --rm IMAGE echo hi` on a warm store, each a fresh command, next
 * to `podman run --rm` (with runc) of the same rootfs, on no network and on each one's bridge,
 * interleaved.
 */
@Command(name = "run", description = "berth run --rm against podman run --rm, warm store")
final class LocalRunBench implements Callable<Integer> {
  @Option(
      names = {"-n", "--iterations"},
      defaultValue = "20")
  int iterations;

  @Option(names = "--warmup", defaultValue = "2")
  int warmup;

  @Override
  public Integer call() throws Exception {
    Path work = Files.createTempDirectory("berth-bench-run-");
    Path berth = Path.of(System.getProperty("berth.home", "."), "bin", "berth");
    LocalLayout layout =
        new LocalLayout(work.resolve("local"), work.resolve("images"), work.resolve("run"));
    String image = "local/bench-run:1";
    Path rootfs = BusyboxRootfs.create(work.resolve("rootfs"));
    new ImageBuilder(new ImageStore(layout.images()))
        .build(rootfs, BuildOptions.of(List.of("sh")), ImageReference.parse(image));
    List<String> where =
        List.of(
            "--root", layout.root().toString(),
            "--runroot", layout.runtimeState().toString(),
            "--store", layout.images().toString());
    PodmanPeer podman =
        PodmanPeer.available() ? PodmanPeer.withImage(rootfs, "localhost/berth-bench-run:1") : null;
    try {
      List<Samples> all = new ArrayList<>();
      List<Step> steps = new ArrayList<>();
      for (String network : List.of("none", "bridge")) {
        List<String> argv =
            new ArrayList<>(List.of(berth.toString(), "run", "--rm", "--network", network));
        argv.addAll(where);
        argv.addAll(List.of(image, "echo", "hi"));
        all.add(new Samples("berth run --rm, " + network));
        steps.add(() -> ExternalCommand.run(argv));
        if (podman != null) {
          all.add(new Samples("podman run --rm (runc), " + network));
          steps.add(() -> podman.runRemoved(network, "echo", "hi"));
        }
      }
      for (int i = 0; i < warmup + iterations; i++) {
        for (int v = 0; v < steps.size(); v++) {
          long t0 = System.nanoTime();
          steps.get(v).run();
          if (i >= warmup) {
            all.get(v).add(System.nanoTime() - t0);
          }
        }
      }
      System.out.printf(
          "%d runs of `echo hi` per variant (after %d warm-up), interleaved%n", iterations, warmup);
      System.out.printf("%-34s %10s %10s%n", "variant", "median ms", "p99 ms");
      for (Samples s : all) {
        System.out.printf(
            "%-34s %10.1f %10.1f%n", s.name(), s.medianMillis(), s.percentileMillis(99));
      }
      if (podman != null) {
        for (int v = 0; v + 1 < all.size(); v += 2) {
          System.out.printf(
              "%s: berth / podman = %.2fx%n",
              v == 0 ? "none" : "bridge",
              all.get(v).medianMillis() / all.get(v + 1).medianMillis());
        }
      }
      return 0;
    } finally {
      if (podman != null) {
        podman.close();
      }
      FileTrees.delete(work);
      new ProcessBuilder("ip", "link", "del", layout.bridge())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor();
    }
  }

  private interface Step {
    void run() throws Exception;
  }
}
