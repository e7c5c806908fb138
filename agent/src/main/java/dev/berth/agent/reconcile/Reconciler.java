package dev.berth.agent.reconcile;

import dev.berth.agent.AgentLayout;
import dev.berth.agent.images.ImageStore;
import dev.berth.agent.images.registry.ImagePuller;
import dev.berth.agent.images.registry.PullProgress;
import dev.berth.agent.images.snapshot.Snapshotter;
import dev.berth.agent.network.ContainerNetworks;
import dev.berth.agent.security.ContainerPolicy;
import dev.berth.model.fleet.Assignment;
import dev.berth.model.fleet.AssignmentTopic;
import dev.berth.model.fleet.ContainerReport;
import dev.berth.model.fleet.ContainerState;
import dev.berth.model.fleet.RestartPolicy;
import dev.berth.model.runtime.State;
import dev.berth.runtime.ContainerException;
import dev.berth.runtime.ContainerRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The node's level-triggered reconciler: each pass compares the whole desired set with what the
 * runtime reports, and creates, restarts (per policy, with back-off) or removes until they agree. A
 * pass is idempotent, and what the runtime already runs (for example after an agent restart) is
 * adopted, not duplicated. Blocking: run it on a worker, one pass at a time.
 */
public final class Reconciler {
  private static final Logger LOG = Logger.getLogger(Reconciler.class.getName());
  private final AgentLayout layout;
  private final ContainerRuntime runtime;
  private final ContainerLauncher launcher;
  private final LongSupplier clock;
  private final LeaseFence fence;
  private final Map<String, Long> notBefore = new HashMap<>();
  // Container id to what its network check on adoption found ("" for nothing wrong).
  private final Map<String, String> adopted = new HashMap<>();

  /**
   * {@code pulls} hears about every byte pulled for a container's image; {@code fence} says when
   * unique replicas may run.
   */
  public Reconciler(
      AgentLayout layout,
      ContainerRuntime runtime,
      ImageStore images,
      Snapshotter snapshots,
      ImagePuller puller,
      LongSupplier clock,
      PullProgress pulls,
      ContainerNetworks networks,
      LeaseFence fence) {
    this(
        layout,
        runtime,
        images,
        snapshots,
        puller,
        clock,
        pulls,
        networks,
        fence,
        ContainerPolicy.DEFAULT);
  }

  /** The same, with what the node's {@code policy} allows its containers. */
  public Reconciler(
      AgentLayout layout,
      ContainerRuntime runtime,
      ImageStore images,
      Snapshotter snapshots,
      ImagePuller puller,
      LongSupplier clock,
      PullProgress pulls,
      ContainerNetworks networks,
      LeaseFence fence,
      ContainerPolicy policy) {
    this.layout = layout;
    this.runtime = runtime;
    this.fence = fence;
    this.launcher =
        new ContainerLauncher(
            layout, runtime, images, snapshots, puller, pulls, networks, fence, policy);
    this.clock = clock;
  }

  /** One pass; returns the actual state of every desired container afterwards. */
  public synchronized List<ContainerReport> reconcile(Collection<Assignment> desired) {
    Map<String, Assignment> wanted = new LinkedHashMap<>();
    desired.forEach(a -> wanted.put(a.containerId(), a));
    Map<String, State> actual = new HashMap<>();
    runtime.list().forEach(s -> actual.put(s.id(), s));
    for (String id : actual.keySet()) {
      if (!wanted.containsKey(id)) {
        removeQuietly(id);
      }
    }
    // What the runtime no longer knows but a bundle still holds (a network attachment above all),
    // left by a crash or a failed removal: removed now, so no address or port stays taken.
    for (String id : leftBundles()) {
      if (!wanted.containsKey(id) && !actual.containsKey(id)) {
        removeQuietly(id);
      }
    }
    // A rootfs still mounted without its bundle (its removal cut short): unmounted and removed.
    for (String id : launcher.leftSnapshots()) {
      if (!wanted.containsKey(id) && !actual.containsKey(id) && isContainerId(id)) {
        removeQuietly(id);
      }
    }
    List<ContainerReport> reports = new ArrayList<>();
    for (Assignment a : wanted.values()) {
      reports.add(converge(a, actual.get(a.containerId())));
    }
    return reports;
  }

  private ContainerReport converge(Assignment a, State state) {
    String id = a.containerId();
    int restarts = restarts(id);
    if (state == null) {
      return launch(a, restarts);
    }
    switch (state.status()) {
      case "running", "paused" -> {
        if (a.unique() && !fence.held()) {
          return fenced(
              a, restarts); // its watchdog does it too; this covers one whose monitor died
        }
        return report(a, ContainerState.RUNNING, null, restarts, adopt(id));
      }
      case "created" -> {
        if (a.unique() && fence.waitBeforeUniqueStart() > 0) {
          return fenced(a, restarts);
        }
        try {
          runtime.start(id); // the agent stopped between create and start
          return report(a, ContainerState.RUNNING, null, restarts, null);
        } catch (Exception e) {
          removeQuietly(id);
          return report(a, ContainerState.FAILED, null, restarts, e.getMessage());
        }
      }
      default -> {
        // The monitor records the exit a moment after the process is seen gone: a restart decision
        // needs it.
        Integer exit = runtime.recordedExit(id, 1000).orElse(null);
        // No recorded exit (its monitor died too) is not success: it may have crashed.
        ContainerState stopped = exit == null ? ContainerState.UNKNOWN : ContainerState.STOPPED;
        String unknown = exit == null ? "exit code unknown: its monitor is gone" : null;
        if (!shouldRestart(a, exit, restarts)) {
          return report(a, stopped, exit, restarts, unknown);
        }
        if (a.unique() && fence.waitBeforeUniqueStart() > 0) {
          return report(a, stopped, exit, restarts, uniqueWait());
        }
        long now = clock.getAsLong();
        long due =
            notBefore.computeIfAbsent(id, k -> now + RestartBackoff.delayMillis(restarts + 1));
        if (now < due) {
          String restarting = "restarting in " + (due - now) + " ms";
          return report(
              a,
              stopped,
              exit,
              restarts,
              unknown == null ? restarting : unknown + "; " + restarting);
        }
        notBefore.remove(id);
        try {
          launcher.remove(id, true);
        } catch (Exception e) {
          return report(
              a,
              ContainerState.STOPPED,
              exit,
              restarts,
              "cannot remove for restart: " + e.getMessage());
        }
        writeRestarts(id, restarts + 1);
        return launch(a, restarts + 1);
      }
    }
  }

  private static boolean shouldRestart(Assignment a, Integer exit, int restarts) {
    RestartPolicy policy = a.restartPolicy() == null ? RestartPolicy.Always : a.restartPolicy();
    boolean withinLimit = a.restartLimit() == null || restarts < a.restartLimit();
    return switch (policy) {
      case Always -> withinLimit;
      case OnFailure -> (exit == null || exit != 0) && withinLimit;
      case Never -> false;
    };
  }

  /**
   * The first time this process sees a container it did not start (an agent restart adopts it), its
   * network is CHECKed; what is wrong stays in its status until it is started again.
   */
  private String adopt(String id) {
    String known = adopted.get(id);
    if (known != null) {
      return known.isEmpty() ? null : known;
    }
    String problem = "";
    try {
      launcher.checkNetwork(id);
    } catch (Exception e) {
      problem = "network check failed: " + e.getMessage();
      LOG.warning("container " + id + ": " + problem);
    }
    adopted.put(id, problem);
    return problem.isEmpty() ? null : problem;
  }

  /** A unique replica the node may not run now: stopped if it runs, not started. */
  private ContainerReport fenced(Assignment a, int restarts) {
    try {
      runtime.kill(a.containerId(), 9, true);
    } catch (Exception e) {
      // already stopped
    }
    return report(a, ContainerState.STOPPED, null, restarts, uniqueWait());
  }

  private String uniqueWait() {
    return "unique replica: starts once this node has held its lease for "
        + fence.waitBeforeUniqueStart()
        + " ms more";
  }

  private ContainerReport launch(Assignment a, int restarts) {
    if (a.unique() && fence.waitBeforeUniqueStart() > 0) {
      return report(a, ContainerState.STOPPED, null, restarts, uniqueWait());
    }
    adopted.put(a.containerId(), ""); // launched by this process: nothing to check
    try {
      launcher.launch(a);
      return report(a, ContainerState.RUNNING, null, restarts, null);
    } catch (Exception e) {
      return report(a, ContainerState.FAILED, null, restarts, e.getMessage());
    }
  }

  private ContainerReport report(
      Assignment a, ContainerState state, Integer exit, int restarts, String message) {
    return new ContainerReport(
        a.containerId(),
        a.workload(),
        a.generation(),
        state,
        exit,
        restarts,
        message,
        layout.nodeName(),
        state == ContainerState.RUNNING ? launcher.ip(a.containerId()) : null,
        a.ports() == null ? List.of() : List.copyOf(a.ports()));
  }

  /** Only names Berth gives containers are taken for one (a stray file in bundles/ is not). */
  private static boolean isContainerId(String name) {
    try {
      AssignmentTopic.requireContainerId(name);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private List<String> leftBundles() {
    try (Stream<Path> dirs = Files.list(layout.bundles())) {
      return dirs.map(d -> d.getFileName().toString()).filter(Reconciler::isContainerId).toList();
    } catch (IOException e) {
      return List.of(); // no bundles directory yet
    }
  }

  private void removeQuietly(String id) {
    long started = System.nanoTime();
    try {
      launcher.remove(id, false);
      notBefore.remove(id);
      adopted.remove(id);
      // One line per removal, as kubelet says it kills a pod: what a fleet's convergence is read
      // from when it is slow.
      LOG.info(
          "container "
              + id
              + ": not desired, removed in "
              + (System.nanoTime() - started) / 1_000_000
              + " ms");
    } catch (Exception e) {
      LOG.warning(
          "container "
              + id
              + ": cannot remove (after "
              + (System.nanoTime() - started) / 1_000_000
              + " ms): "
              + e.getMessage());
    }
  }

  /**
   * Removes the agent's cgroup parent once no container is left in it (when the node is drained or
   * the agent is uninstalled); the parent is shared by all of the node's containers, so none of
   * them removes it.
   */
  public synchronized void releaseCgroupParent() throws ContainerException {
    if (runtime.list().isEmpty()) {
      runtime.cgroups().open(layout.cgroupParent()).destroy(List.of());
    }
  }

  /** Restarts survive an agent restart: they are kept beside the bundle. */
  private int restarts(String id) {
    Path f = launcher.bundleDir(id).resolve("restarts");
    try {
      return Files.exists(f) ? Integer.parseInt(Files.readString(f).trim()) : 0;
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }

  private void writeRestarts(String id, int n) {
    try {
      Files.createDirectories(launcher.bundleDir(id));
      Files.writeString(launcher.bundleDir(id).resolve("restarts"), Integer.toString(n));
    } catch (IOException e) {
      LOG.warning("container " + id + ": cannot record restarts: " + e.getMessage());
    }
  }
}
