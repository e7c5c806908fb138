package dev.berth.agent.reconcile;

import dev.berth.agent.AgentLayout;
import dev.berth.agent.images.ImageStore;
import dev.berth.agent.images.ResolvedImage;
import dev.berth.agent.images.bundle.RuntimeSpecFromImage;
import dev.berth.agent.images.registry.ImagePuller;
import dev.berth.agent.images.registry.PullProgress;
import dev.berth.agent.images.snapshot.SnapshotException;
import dev.berth.agent.images.snapshot.Snapshotter;
import dev.berth.agent.images.store.PrivateDirs;
import dev.berth.agent.logs.ContainerLogs;
import dev.berth.agent.network.ContainerNetworks;
import dev.berth.agent.network.NameFiles;
import dev.berth.agent.network.NetworkAttachment;
import dev.berth.agent.network.cni.CniException;
import dev.berth.agent.security.ContainerDefaults;
import dev.berth.agent.security.ContainerPolicy;
import dev.berth.agent.security.ContainerSettings;
import dev.berth.agent.security.IdRangeAllocator;
import dev.berth.agent.security.IdmapSupport;
import dev.berth.model.JsonMapping;
import dev.berth.model.concurrent.DaemonThreads;
import dev.berth.model.fleet.Assignment;
import dev.berth.model.fleet.AssignmentTopic;
import dev.berth.model.fleet.ContainerPort;
import dev.berth.model.fleet.NetworkMode;
import dev.berth.model.image.ImageReference;
import dev.berth.model.image.Platform;
import dev.berth.model.network.PortMapping;
import dev.berth.model.runtime.Spec;
import dev.berth.runtime.ContainerNotFoundException;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.CreateOptions;
import dev.berth.runtime.files.FileTrees;
import dev.berth.runtime.init.Stdio;
import dev.berth.runtime.userns.HostUserNamespace;
import dev.berth.runtime.userns.IdRange;
import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

/**
 * Turns an assignment into a running container: the image (pulled when missing), its rootfs
 * snapshot, a bundle with the assignment's command, env and limits, then create and start with a
 * monitor. Also tears one down completely.
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
  private final ContainerNetworks networks;
  private final LeaseFence fence;
  private final ContainerPolicy policy;
  private static final boolean ROOTFUL = HostUserNamespace.isInitial();
  private final IdRangeAllocator idRanges;
  private Boolean idmap; // probed at the first container that would have a user namespace
  private final Platform platform = Platform.host();
  // Plugins run here while the container is created; idle threads go after a minute.
  private final ExecutorService attachers = DaemonThreads.cached("berth-cni-add");

  ContainerLauncher(
      AgentLayout layout,
      ContainerRuntime runtime,
      ImageStore images,
      Snapshotter snapshots,
      ImagePuller puller,
      PullProgress pulls,
      ContainerNetworks networks,
      LeaseFence fence,
      ContainerPolicy policy) {
    this.fence = fence;
    this.policy = policy;
    this.pulls = pulls;
    this.networks = networks;
    this.layout = layout;
    this.runtime = runtime;
    this.images = images;
    this.snapshots = snapshots;
    this.puller = puller;
    this.idRanges = new IdRangeAllocator(layout.bundles());
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
    CompletableFuture<NetworkAttachment> adding = null;
    try {
      ImageReference ref = ImageReference.parse(a.image());
      ResolvedImage image = images.image(ref, platform).orElse(null);
      if (image == null) {
        image = puller.pull(ref, platform, pulls);
      }
      Path record = ContainerNetworks.recordIn(bundle);
      networks.detach(record); // an attachment an earlier run of this container left behind
      ContainerNetworks.Pinned pinned = networks.pin(id, record, mode(a), published(a));
      // The plugins attach while the rootfs is prepared and the container created in the pinned
      // namespace: only its start waits for the network.
      adding = CompletableFuture.supplyAsync(() -> addNetwork(pinned), attachers);
      // An agent in a user namespace of its own (rootless) has no host ids to give each
      // container: they share its namespace, as Podman's rootless containers share theirs.
      IdRange ids =
          policy.userNamespace(a.securityContext()) && ROOTFUL && idmapSupported()
              ? idRanges.rangeFor(id)
              : null;
      Path rootfs =
          snapshots.prepare(id, image.manifest().layers(), image.config().rootfs().diffIds(), ids);
      Spec spec =
          customize(
              RuntimeSpecFromImage.create(image.config(), rootfs, id, a.command(), a.args()),
              a,
              ids);
      spec = spec.withLinux(spec.linux().withNamespacePath("network", pinned.netns()));
      NameFiles names = NameFiles.in(bundle, id, networks.mayServeNames(mode(a)));
      spec = names.mountedInto(spec);
      Files.writeString(bundle.resolve("config.json"), JsonMapping.write(spec));
      Path stdout = ContainerLogs.file(bundle, "stdout");
      Path stderr = ContainerLogs.file(bundle, "stderr");
      ContainerLogs.prepare(bundle);
      if (ids != null) {
        // Its stdout and stderr are these files: a process in it may open them again through
        // /proc/1/fd/1 (the usual way to write to the container's log), as its root.
        for (Path log : List.of(stdout, stderr)) {
          Files.setAttribute(log, "unix:uid", (int) ids.hostId());
          Files.setAttribute(log, "unix:gid", (int) ids.hostId());
        }
      }
      CreateOptions options =
          CreateOptions.monitored(
              new Stdio(
                  Redirect.from(new File("/dev/null")),
                  Redirect.appendTo(stdout.toFile()),
                  Redirect.appendTo(stderr.toFile())));
      // A unique replica dies with the node's lease, whatever becomes of this agent.
      runtime.create(id, bundle, a.unique() ? options.withWatchdog(fence.deadlineFile()) : options);
      NetworkAttachment net = joined(adding);
      names.fill(net, networks.nameServerFor(net));
      runtime.start(id);
    } catch (Exception e) {
      if (adding != null) {
        adding.handle((n, failure) -> null).join(); // the DEL below must not overtake the ADD
      }
      remove(id, false);
      throw e;
    }
  }

  private NetworkAttachment addNetwork(ContainerNetworks.Pinned pinned) {
    try {
      return networks.add(pinned);
    } catch (CniException | IOException e) {
      throw new CompletionException(e);
    }
  }

  /** The attachment, or the exception its ADD failed with, as it was thrown. */
  private static NetworkAttachment joined(CompletableFuture<NetworkAttachment> adding)
      throws Exception {
    try {
      return adding.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** The assignment's env, limits, security context and labels on top of the image's spec. */
  private Spec customize(Spec spec, Assignment a, IdRange ids) throws IOException {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(WORKLOAD, a.workload());
    annotations.put(GENERATION, Long.toString(a.generation()));
    return ContainerDefaults.apply(
        spec,
        new ContainerSettings(
            cgroupPath(a.containerId()),
            a.env(),
            a.memoryLimitBytes(),
            a.cpuLimitMillis(),
            a.pidsLimit(),
            a.securityContext(),
            annotations),
        policy,
        ids);
  }

  private String cgroupPath(String id) {
    return layout.cgroupParent() + "/" + id;
  }

  private synchronized boolean idmapSupported() throws java.io.IOException {
    if (idmap == null) {
      Path layers = java.nio.file.Files.createDirectories(layout.snapshots().resolve("layers"));
      idmap = IdmapSupport.probe(layers);
    }
    return idmap;
  }

  /** Containers with a rootfs on this node, whatever the runtime and the bundles say. */
  List<String> leftSnapshots() {
    try {
      return snapshots.containerIds();
    } catch (SnapshotException e) {
      return List.of();
    }
  }

  /**
   * Stops and removes the container, its rootfs and (unless {@code keepBundle}) its bundle and
   * logs.
   */
  void remove(String id, boolean keepBundle) throws Exception {
    try {
      runtime.delete(id, true);
    } catch (ContainerNotFoundException e) {
      // Not created, or already gone; an agent killed in the middle of a create can leave the
      // container's cgroup without any state that names it, even with the container's process in
      // it (waiting for a start that never comes): killed and removed here (nothing when absent).
      runtime.removeOrphanCgroup(cgroupPath(id));
    }
    snapshots.remove(id);
    // Before the bundle goes: the record in it is what DEL needs; a failed DEL keeps both.
    networks.detach(ContainerNetworks.recordIn(bundleDir(id)));
    if (!keepBundle) {
      idRanges.release(id);
      FileTrees.delete(bundleDir(id));
    }
  }

  private static ContainerNetworks.Mode mode(Assignment a) {
    NetworkMode m = a.network() == null ? NetworkMode.DEFAULT : a.network();
    return switch (m) {
      case DEFAULT -> ContainerNetworks.Mode.DEFAULT;
      case NONE -> ContainerNetworks.Mode.NONE;
      case HOST ->
          throw new IllegalArgumentException(
              "container " + a.containerId() + ": this node does not share its network (host)");
    };
  }

  /** The ports the assignment publishes on the node, as portmap takes them. */
  private static List<PortMapping> published(Assignment a) {
    if (a.ports() == null) {
      return List.of();
    }
    return a.ports().stream()
        .filter(ContainerPort::published)
        .map(
            p ->
                new PortMapping(
                    p.hostPort(),
                    p.containerPort(),
                    p.protocolOrTcp().toLowerCase(Locale.ROOT),
                    null))
        .toList();
  }

  /**
   * CHECKs the container's recorded network attachment (on adoption: is it still as ADD left it?);
   * nothing when it has none.
   */
  void checkNetwork(String id) throws CniException, IOException {
    NetworkAttachment a = ContainerNetworks.read(ContainerNetworks.recordIn(bundleDir(id)));
    if (a != null) {
      networks.check(a);
    }
  }

  /** The container's address on the node's network, from its attachment record; null if none. */
  String ip(String id) {
    try {
      NetworkAttachment a = ContainerNetworks.read(ContainerNetworks.recordIn(bundleDir(id)));
      return a == null ? null : a.ip();
    } catch (IOException e) {
      return null;
    }
  }
}
