package dev.berth.agent.reconcile;

import dev.berth.agent.AgentLayout;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.agent.images.ImageStore;
import dev.berth.agent.images.store.PrivateDirs;
import dev.berth.model.fleet.AssignmentTopic;
import dev.berth.agent.logs.ContainerLogs;
import dev.berth.agent.images.bundle.RuntimeSpecFromImage;
import dev.berth.agent.images.registry.ImagePuller;
import dev.berth.agent.images.registry.PullProgress;
import dev.berth.agent.images.snapshot.Snapshotter;
import dev.berth.model.fleet.Assignment;
import dev.berth.model.image.Descriptor;
import dev.berth.model.image.ImageConfig;
import dev.berth.model.image.ImageIndex;
import dev.berth.model.image.ImageReference;
import dev.berth.model.image.Manifest;
import dev.berth.model.image.MediaTypes;
import dev.berth.model.JsonMapping;
import dev.berth.runtime.ContainerNotFoundException;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.CreateOptions;
import dev.berth.runtime.files.FileTrees;
import dev.berth.runtime.init.Stdio;
import java.io.File;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Turns an assignment into a running container: the image (pulled when missing), its rootfs snapshot, a
 * bundle with the assignment's command, env and limits, then create and start with a monitor. Also tears
 * one down completely.
 */
final class ContainerLauncher {
  static final String WORKLOAD = "dev.berth.workload";
  static final String GENERATION = "dev.berth.generation";

  private final AgentLayout layout;
  private final ContainerRuntime runtime;
  private final ImageStore images;
  private final Snapshotter snapshots;
  private final ImagePuller puller;
  private final PullProgress pulls;

  ContainerLauncher(AgentLayout layout, ContainerRuntime runtime, ImageStore images, Snapshotter snapshots,
      ImagePuller puller, PullProgress pulls) {
    this.pulls = pulls;
    this.layout = layout;
    this.runtime = runtime;
    this.images = images;
    this.snapshots = snapshots;
    this.puller = puller;
  }

  Path bundleDir(String id) {
    return layout.bundle(id);
  }

  /** Creates and starts the container; on failure nothing of it is left. */
  void launch(Assignment a) throws Exception {
    String id = a.containerId();
    AssignmentTopic.requireContainerId(id); // it names directories below: never trust it unchecked
    // 0700: config.json holds the container's env, its secrets included.
    Path bundle = PrivateDirs.create(bundleDir(id));
    try {
      ImageReference ref = ImageReference.parse(a.image());
      Descriptor top = images.resolve(ref).orElse(null);
      if (top == null) {
        top = puller.pull(ref, ImagePuller.hostPlatform(), pulls);
      }
      Manifest manifest = manifest(top, ref);
      ImageConfig image = JsonMapping.mapper().readValue(images.content().read(manifest.config().digest()),
          ImageConfig.class);
      Path rootfs = snapshots.prepare(id, manifest.layers(), image.rootfs().diffIds());
      ObjectNode spec = JsonMapping.mapper().valueToTree(
          RuntimeSpecFromImage.create(image, rootfs, id, a.command(), a.args()));
      customize(spec, a);
      Files.writeString(bundle.resolve("config.json"), JsonMapping.write(spec));
      Path stdout = ContainerLogs.file(bundle, "stdout");
      Path stderr = ContainerLogs.file(bundle, "stderr");
      ContainerLogs.prepare(bundle);
      runtime.create(id, bundle, CreateOptions.monitored(new Stdio(Redirect.from(new File("/dev/null")),
          Redirect.appendTo(stdout.toFile()), Redirect.appendTo(stderr.toFile()))));
      runtime.start(id);
    } catch (Exception e) {
      remove(id, false);
      throw e;
    }
  }

  private Manifest manifest(Descriptor top, ImageReference ref) throws Exception {
    Descriptor d = top;
    if (MediaTypes.isIndex(top.mediaType())) {
      ImageIndex index = JsonMapping.mapper().readValue(images.content().read(top.digest()), ImageIndex.class);
      d = ImagePuller.choose(index, ImagePuller.hostPlatform(), ref);
    }
    return JsonMapping.mapper().readValue(images.content().read(d.digest()), Manifest.class);
  }

  /** The assignment's env (over the image's), limits, cgroup and labels on top of the image's spec. */
  private void customize(ObjectNode spec, Assignment a) {
    ObjectNode process = (ObjectNode) spec.get("process");
    if (a.env() != null && !a.env().isEmpty()) {
      ArrayNode env = (ArrayNode) process.get("env");
      for (Map.Entry<String, String> e : a.env().entrySet()) {
        for (int i = env.size() - 1; i >= 0; i--) {
          if (env.get(i).asText().startsWith(e.getKey() + "=")) {
            env.remove(i);
          }
        }
        env.add(e.getKey() + "=" + e.getValue());
      }
    }
    ObjectNode linux = (ObjectNode) spec.get("linux");
    linux.put("cgroupsPath", layout.cgroupParent() + "/" + a.containerId());
    ObjectNode resources = linux.with("resources");
    if (a.memoryLimitBytes() != null) {
      resources.putObject("memory").put("limit", a.memoryLimitBytes()).put("swap", a.memoryLimitBytes());
    }
    if (a.cpuLimitMillis() != null) {
      resources.putObject("cpu").put("period", 100_000).put("quota", a.cpuLimitMillis() * 100);
    }
    ObjectNode annotations = spec.with("annotations");
    annotations.put(WORKLOAD, a.workload());
    annotations.put(GENERATION, Long.toString(a.generation()));
  }

  /** Stops and removes the container, its rootfs and (unless {@code keepBundle}) its bundle and logs. */
  void remove(String id, boolean keepBundle) throws Exception {
    try {
      runtime.delete(id, true);
    } catch (ContainerNotFoundException e) {
      // not created, or already gone
    }
    snapshots.remove(id);
    if (!keepBundle) {
      FileTrees.delete(bundleDir(id));
    }
  }
}
