package dev.berth.agent.images.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.agent.images.ImageStore;
import dev.berth.agent.images.build.BuildOptions;
import dev.berth.agent.images.build.ImageBuilder;
import dev.berth.agent.images.bundle.RuntimeSpecFromImage;
import dev.berth.agent.images.snapshot.Snapshotter;
import dev.berth.embedded.LoopbackRegistry;
import dev.berth.model.JsonMapping;
import dev.berth.model.image.Descriptor;
import dev.berth.model.image.ImageConfig;
import dev.berth.model.image.ImageReference;
import dev.berth.model.image.Manifest;
import dev.berth.model.image.Platform;
import dev.berth.model.runtime.Spec;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.CreateOptions;
import dev.berth.runtime.bundle.BusyboxRootfs;
import dev.berth.runtime.files.FileTrees;
import dev.berth.runtime.init.Stdio;
import java.io.File;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The whole image path: build from busybox, push, pull into an empty store, unpack, and run with
 * the runtime.
 */
class ImageRunTest {
  @Test
  void anImagePushedAndPulledBackRunsWithItsConfigApplied() throws Exception {
    Path work = Files.createTempDirectory("berth-image-run-");
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
    var workers = Executors.newFixedThreadPool(4);
    try (LoopbackRegistry registry = new LoopbackRegistry()) {
      Path rootfs = BusyboxRootfs.create(work.resolve("source-rootfs"));
      ImageStore source = new ImageStore(work.resolve("source"));
      BuildOptions options =
          new BuildOptions(
              List.of("sh", "-c"),
              List.of("id -u; id -G; pwd; echo $GREETING"),
              List.of("GREETING=hello from an image"),
              "/tmp",
              "user",
              Map.of("org.example.team", "berth"),
              List.of("8080"));
      new ImageBuilder(source).build(rootfs, options, ImageReference.parse("local/app:1"));
      ImageReference remote = ImageReference.parse(registry.host() + "/demo/app:1");
      RegistryClient client = new RegistryClient(Map.of());
      new ImagePusher(client, source, 8 << 20)
          .push(ImageReference.parse("local/app:1"), remote, null, PullProgress.NONE);

      ImageStore node = new ImageStore(work.resolve("node"));
      Descriptor top =
          new ImagePuller(client, node, workers)
              .pull(remote, Platform.host(), PullProgress.NONE)
              .target();
      Manifest manifest =
          JsonMapping.mapper().readValue(node.content().read(top.digest()), Manifest.class);
      ImageConfig config =
          JsonMapping.mapper()
              .readValue(node.content().read(manifest.config().digest()), ImageConfig.class);
      Snapshotter snapshots = new Snapshotter(node.content(), work.resolve("snapshots"), true);
      Path containerRoot = snapshots.prepare("app1", manifest.layers(), config.rootfs().diffIds());
      try {
        Spec spec = RuntimeSpecFromImage.create(config, containerRoot, "app1", null);
        assertEquals("8080/tcp", spec.annotations().get(RuntimeSpecFromImage.EXPOSED_PORTS));
        assertEquals("berth", spec.annotations().get("org.example.team"));
        Path bundle = Files.createDirectories(work.resolve("bundle"));
        Files.writeString(bundle.resolve("config.json"), JsonMapping.write(spec));
        ContainerRuntime runtime = new ContainerRuntime(work.resolve("state"));
        Path out = work.resolve("out");
        runtime.create(
            "app1",
            bundle,
            CreateOptions.monitored(
                new Stdio(
                    Redirect.from(new File("/dev/null")),
                    Redirect.to(out.toFile()),
                    Redirect.INHERIT)));
        runtime.start("app1");
        assertEquals(0, runtime.exitCode("app1").get(30, TimeUnit.SECONDS));
        runtime.delete("app1", false);
        assertEquals(
            "1000\n1000 2000\n/tmp\nhello from an image\n",
            Files.readString(out),
            "User, supplementary groups, WorkingDir, Env, Entrypoint and Cmd from the image");
      } finally {
        snapshots.remove("app1");
      }
    } finally {
      workers.shutdownNow();
      FileTrees.delete(work);
    }
  }
}
