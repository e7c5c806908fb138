package dev.berth.agent.local;

import dev.berth.agent.images.ImageStore;
import dev.berth.agent.images.ResolvedImage;
import dev.berth.agent.images.bundle.RuntimeSpecFromImage;
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
import dev.berth.model.JsonMapping;
import dev.berth.model.runtime.Spec;
import dev.berth.model.runtime.State;
import dev.berth.runtime.ContainerException;
import dev.berth.runtime.ContainerNotFoundException;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.CreateOptions;
import dev.berth.runtime.files.FileTrees;
import dev.berth.runtime.init.Stdio;
import dev.berth.runtime.process.Signals;
import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;

/**
 * Containers run from stored images on this machine without a fleet, as Podman runs them: no
 * daemon, each `berth` command opens the same directories. The image becomes a bundle the way the
 * agent's do (the same snapshots, {@link RuntimeSpecFromImage} and {@link ContainerDefaults}), and
 * the in-process runtime creates it with a monitor that outlives the command.
 */
public final class LocalContainers {
  /** The name of a container as Docker allows it. */
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}");

  private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");
  private static final String RECORD = "container.json";
  private static final int SIGTERM = 15;
  private static final int SIGKILL = 9;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final LocalLayout layout;
  private final ContainerRuntime runtime;
  private final ImageStore images;
  private final Snapshotter snapshots;
  private ContainerNetworks bridge; // set up at the first container that joins it

  private LocalContainers(
      LocalLayout layout, ContainerRuntime runtime, ImageStore images, Snapshotter snapshots) {
    this.layout = layout;
    this.runtime = runtime;
    this.images = images;
    this.snapshots = snapshots;
  }

  /** The local containers under {@code layout} (its directories made, root's only). */
  public static LocalContainers open(LocalLayout layout) throws IOException {
    PrivateDirs.create(layout.root());
    PrivateDirs.create(layout.containers());
    PrivateDirs.create(layout.names());
    ImageStore images = new ImageStore(layout.images());
    Snapshotter snapshots =
        new Snapshotter(images.content(), layout.snapshots(), Snapshotter.overlaySupported());
    return new LocalContainers(
        layout, new ContainerRuntime(layout.runtimeState()), images, snapshots);
  }

  public ContainerRuntime runtime() {
    return runtime;
  }

  public ImageStore images() {
    return images;
  }

  /** A container's stream (stdout, stderr) as its log file holds it. */
  public Path logFile(String id, String stream) {
    return ContainerLogs.file(layout.container(id), stream);
  }

  /**
   * Creates (does not start) a container of {@code image} as {@code request} asks; its stdout and
   * stderr go to its log files unless {@code consoleSocket} takes a terminal. On failure nothing of
   * it is left.
   */
  public LocalContainer create(
      RunRequest request, ResolvedImage image, Redirect stdin, String consoleSocket)
      throws IOException, ContainerException {
    String id = HexFormat.of().formatHex(bytes32());
    String name = request.name() == null ? id.substring(0, 12) : request.name();
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "--name: \""
              + name
              + "\" is not a container name ([a-zA-Z0-9][a-zA-Z0-9_.-]*, 128 at most)");
    }
    LocalContainer c =
        new LocalContainer(
            id,
            name,
            request.image(),
            request.command(),
            Instant.now().toString(),
            request.autoRemove(),
            request.network(),
            request.ports());
    Path dir = PrivateDirs.create(layout.container(id));
    CompletableFuture<NetworkAttachment> adding = null;
    try {
      claimName(name, id);
      Files.write(dir.resolve(RECORD), JsonMapping.mapper().writeValueAsBytes(c));
      Path rootfs =
          snapshots.prepare(id, image.manifest().layers(), image.config().rootfs().diffIds(), null);
      Spec spec =
          RuntimeSpecFromImage.create(
              image.config(),
              rootfs,
              c.shortId(),
              request.command() == null || request.command().isEmpty() ? null : request.command());
      spec =
          ContainerDefaults.apply(
              spec,
              new ContainerSettings(
                  "/berth-local/" + id, request.env(), null, null, null, null, Map.of()),
              ContainerPolicy.DEFAULT,
              null); // host ids, as Podman's rootful containers by default
      spec = spec.withProcess(spec.process().withTerminal(request.terminal()));
      NameFiles names = null;
      switch (request.network()) {
        case HOST -> spec = spec.withLinux(spec.linux().withoutNamespace("network"));
        case NONE -> {} // a namespace of its own, loopback only
        case BRIDGE -> {
          ContainerNetworks networks = bridge();
          ContainerNetworks.Pinned pinned =
              networks.pin(
                  id,
                  ContainerNetworks.recordIn(dir),
                  ContainerNetworks.Mode.DEFAULT,
                  request.ports());
          // The plugins attach while the container is created in the pinned namespace.
          adding = CompletableFuture.supplyAsync(() -> add(networks, pinned));
          spec = spec.withLinux(spec.linux().withNamespacePath("network", pinned.netns()));
          names = NameFiles.in(dir, c.shortId(), true);
          spec = names.mountedInto(spec);
        }
      }
      Files.writeString(dir.resolve("config.json"), JsonMapping.write(spec));
      ContainerLogs.prepare(dir);
      File devNull = new File("/dev/null");
      Stdio stdio =
          consoleSocket != null
              ? new Stdio(Redirect.from(devNull), Redirect.to(devNull), Redirect.to(devNull))
              : new Stdio(
                  stdin,
                  Redirect.appendTo(logFile(id, "stdout").toFile()),
                  Redirect.appendTo(logFile(id, "stderr").toFile()));
      runtime.create(id, dir, new CreateOptions(consoleSocket, null, false, stdio, true, null));
      if (adding != null) {
        names.fill(joined(adding), null); // the host's resolvers, as Docker's bridge
      }
      return c;
    } catch (SnapshotException | CniException e) {
      cleanUp(id, adding, e);
      throw new IOException(e.getMessage(), e);
    } catch (IOException | ContainerException | RuntimeException e) {
      cleanUp(id, adding, e);
      throw e;
    }
  }

  /** Undoes a failed create: everything of {@code id} goes, its failures noted on {@code e}. */
  private void cleanUp(String id, CompletableFuture<NetworkAttachment> adding, Exception e) {
    if (adding != null) {
      adding.handle((n, failure) -> null).join(); // the DEL must not overtake the ADD
    }
    try {
      remove(id, true);
    } catch (IOException | ContainerException | RuntimeException suppressed) {
      e.addSuppressed(suppressed);
    }
  }

  private static byte[] bytes32() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return b;
  }

  private void claimName(String name, String id) throws IOException {
    try {
      Files.createSymbolicLink(layout.names().resolve(name), Path.of(id));
    } catch (FileAlreadyExistsException e) {
      String holder = idOfName(name).map(h -> h.substring(0, 12)).orElse("another container");
      throw new IllegalArgumentException(
          "the name \"" + name + "\" is in use by container " + holder + " (berth rm it first)");
    }
  }

  private Optional<String> idOfName(String name) {
    try {
      return Optional.of(Files.readSymbolicLink(layout.names().resolve(name)).toString())
          .filter(id -> ID.matcher(id).matches());
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private synchronized ContainerNetworks bridge() throws IOException {
    if (bridge == null) {
      try {
        bridge = LocalBridge.networks(layout);
      } catch (CniException e) {
        throw new IOException("the local bridge network: " + e.getMessage(), e);
      }
    }
    return bridge;
  }

  private static NetworkAttachment add(ContainerNetworks networks, ContainerNetworks.Pinned p) {
    try {
      return networks.add(p);
    } catch (CniException | IOException e) {
      throw new CompletionException(e);
    }
  }

  private static NetworkAttachment joined(CompletableFuture<NetworkAttachment> adding)
      throws IOException {
    try {
      return adding.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException("the local bridge network: " + e.getCause().getMessage(), e.getCause());
    }
  }

  /** The container named or id'd (a unique prefix of an id will do) by {@code nameOrId}. */
  public Optional<LocalContainer> find(String nameOrId) {
    if (nameOrId == null || nameOrId.isEmpty() || nameOrId.contains("/")) {
      return Optional.empty();
    }
    Optional<String> named = idOfName(nameOrId);
    if (named.isPresent()) {
      return record(named.get());
    }
    if (!nameOrId.matches("[0-9a-f]{1,64}")) {
      return Optional.empty();
    }
    List<String> matches = ids().stream().filter(id -> id.startsWith(nameOrId)).toList();
    if (matches.size() > 1) {
      throw new IllegalArgumentException(
          "\"" + nameOrId + "\" is the start of " + matches.size() + " container ids: give more");
    }
    return matches.isEmpty() ? Optional.empty() : record(matches.get(0));
  }

  /** The container, or an error naming what was asked for. */
  public LocalContainer require(String nameOrId) {
    return find(nameOrId)
        .orElseThrow(() -> new IllegalArgumentException("no local container \"" + nameOrId + "\""));
  }

  private Optional<LocalContainer> record(String id) {
    try {
      return Optional.of(
          JsonMapping.mapper()
              .readValue(layout.container(id).resolve(RECORD).toFile(), LocalContainer.class));
    } catch (IOException e) {
      return Optional.empty(); // being created or removed
    }
  }

  private List<String> ids() {
    try (var dirs = Files.list(layout.containers())) {
      return dirs.map(d -> d.getFileName().toString())
          .filter(n -> ID.matcher(n).matches())
          .sorted()
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** A container and where it stands: created, running, paused or stopped (with its exit code). */
  public record Listed(LocalContainer container, String status, Integer exitCode) {}

  /** Every local container, oldest first; those gone with --rm that exited are removed first. */
  public List<Listed> list() throws IOException, ContainerException {
    List<Listed> out = new ArrayList<>();
    for (String id : ids()) {
      Optional<LocalContainer> c = record(id);
      if (c.isEmpty()) {
        continue;
      }
      Listed l = status(c.get());
      if (c.get().autoRemove() && "stopped".equals(l.status())) {
        removeQuietly(id); // --rm with -d: no daemon was there to remove it when it exited
        continue;
      }
      out.add(l);
    }
    out.sort((a, b) -> a.container().created().compareTo(b.container().created()));
    return out;
  }

  /** Where {@code c} stands now. */
  public Listed status(LocalContainer c) {
    try {
      State s = runtime.state(c.id());
      Integer exit =
          "stopped".equals(s.status()) ? runtime.recordedExit(c.id(), 100).orElse(null) : null;
      return new Listed(c, s.status(), exit);
    } catch (ContainerException e) {
      return new Listed(c, "unknown", null); // its runtime state is gone (a reboot)
    }
  }

  /**
   * Stops a container as `docker stop` does: its image's stop signal (SIGTERM by default), then
   * after {@code grace} SIGKILL to every process in it. Returns once it has stopped.
   */
  public void stop(LocalContainer c, Duration grace) throws ContainerException {
    String status = runtime.state(c.id()).status();
    if ("stopped".equals(status)) {
      return;
    }
    if ("paused".equals(status)) {
      runtime.resume(c.id());
    }
    Map<String, String> annotations = runtime.record(c.id()).config().annotations();
    String named = annotations == null ? null : annotations.get(RuntimeSpecFromImage.STOP_SIGNAL);
    int signal = named == null ? SIGTERM : Signals.parse(named);
    runtime.kill(c.id(), signal, false);
    if (!awaitStopped(c.id(), grace)) {
      runtime.kill(c.id(), SIGKILL, true);
      awaitStopped(c.id(), Duration.ofSeconds(10));
    }
  }

  private boolean awaitStopped(String id, Duration within) throws ContainerException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!"stopped".equals(runtime.state(id).status())) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /**
   * Removes a container and all of it: its runtime state, rootfs, network and bundle. A running one
   * only with {@code force} (killed first).
   */
  public void remove(String id, boolean force) throws IOException, ContainerException {
    try {
      String status = runtime.state(id).status();
      if (!force && !"stopped".equals(status) && !"created".equals(status)) {
        throw new IllegalArgumentException(
            "container " + id.substring(0, 12) + " is " + status + ": stop it first, or rm -f");
      }
      runtime.delete(id, true);
    } catch (ContainerNotFoundException e) {
      runtime.removeOrphanCgroup("/berth-local/" + id);
    }
    try {
      snapshots.remove(id);
    } catch (SnapshotException e) {
      throw new IOException(e.getMessage(), e);
    }
    Path dir = layout.container(id);
    Path record = ContainerNetworks.recordIn(dir);
    if (Files.exists(record)) {
      try {
        bridge().detach(record);
      } catch (CniException e) {
        throw new IOException(
            "container " + id.substring(0, 12) + ": network DEL: " + e.getMessage(), e);
      }
    }
    Optional<LocalContainer> c = record(id);
    if (c.isPresent() && idOfName(c.get().name()).filter(id::equals).isPresent()) {
      Files.deleteIfExists(layout.names().resolve(c.get().name()));
    }
    if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      FileTrees.delete(dir);
    }
  }

  private void removeQuietly(String id) {
    try {
      remove(id, true);
    } catch (IOException | ContainerException | RuntimeException e) {
      // another command removing it meanwhile: it goes either way
    }
  }
}
