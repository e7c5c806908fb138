package dev.berth.cli.local;

import dev.berth.agent.images.ResolvedImage;
import dev.berth.agent.images.registry.ImagePuller;
import dev.berth.agent.images.registry.PullProgress;
import dev.berth.agent.images.registry.RegistryClient;
import dev.berth.agent.images.registry.RegistryHost;
import dev.berth.agent.images.store.PrivateDirs;
import dev.berth.agent.local.LocalContainer;
import dev.berth.agent.local.LocalContainers;
import dev.berth.agent.local.LocalNetwork;
import dev.berth.agent.local.RunRequest;
import dev.berth.model.image.ImageReference;
import dev.berth.model.image.Platform;
import dev.berth.runtime.console.ConsoleSocket;
import dev.berth.runtime.console.PtyMaster;
import dev.berth.runtime.files.FileTrees;
import java.io.File;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sun.misc.Signal;

/**
 * `berth run [--rm] [-d] [-it] [-e K=V] [-p ...] [--name N] [--network M] IMAGE [CMD...]`: a
 * container from a stored image on this machine, without a fleet, as `podman run`. In the
 * foreground it prints the container's output as it comes (also kept in its logs), forwards INT,
 * TERM and HUP to it and exits with its status.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "run",
    description = "run a container from an image on this machine (no fleet needed)",
    sortOptions = false)
public final class RunCommand implements Callable<Integer> {
  @Option(names = "--rm", description = "remove the container once it exits")
  boolean remove;

  @Option(
      names = {"-d", "--detach"},
      description = "start it in the background and print its id")
  boolean detach;

  @Option(
      names = {"-i", "--interactive"},
      description = "keep stdin open to the container")
  boolean interactive;

  @Option(
      names = {"-t", "--tty"},
      description = "give it a terminal (this one, in raw mode)")
  boolean tty;

  @Option(
      names = {"-e", "--env"},
      paramLabel = "K=V",
      description = "set an environment variable (K alone: this command's value)")
  List<String> env = new ArrayList<>();

  @Option(
      names = {"-p", "--publish"},
      paramLabel = "[IP:]HOST:CONTAINER[/PROTO]",
      description = "publish a container port on the host (every address unless IP is given)")
  List<String> publish = new ArrayList<>();

  @Option(names = "--name", description = "the container's name (default: its short id)")
  String name;

  @Option(
      names = "--network",
      defaultValue = "bridge",
      description = "bridge (its own address on the local bridge), host or none")
  String network;

  @Mixin LocalOptions local = new LocalOptions();

  @Parameters(index = "0", paramLabel = "IMAGE")
  String image;

  @Parameters(index = "1..*", paramLabel = "CMD", description = "replaces the image's Cmd")
  List<String> command = new ArrayList<>();

  /** At most this many -e (each at most 128 KiB, the kernel's limit for one string). */
  static final int MAX_ENV = 4096;

  @Override
  public Integer call() throws Exception {
    if (detach && (tty || interactive)) {
      throw new IllegalArgumentException(
          "-d runs the container in the background: without -i or -t (use berth exec -it later)");
    }
    if (tty && !TerminalRelay.stdinIsTerminal()) {
      throw new IllegalArgumentException("-t: this command's input is not a terminal");
    }
    RunRequest request =
        new RunRequest(
            image,
            argsAfterDashes(command),
            environment(env),
            name,
            remove,
            tty,
            LocalNetwork.parse(network),
            PublishedPorts.parse(publish));
    LocalContainers containers = local.open();
    ResolvedImage resolved = imageOf(containers, ImageReference.parse(image));
    if (tty) {
      return runWithTerminal(containers, request, resolved);
    }
    File devNull = new File("/dev/null");
    LocalContainer c =
        containers.create(
            request, resolved, interactive ? Redirect.INHERIT : Redirect.from(devNull), null);
    try (LogCopier out = new LogCopier(containers.logFile(c.id(), "stdout"), System.out, 0);
        LogCopier err = new LogCopier(containers.logFile(c.id(), "stderr"), System.err, 0)) {
      CompletableFuture<Integer> exit = containers.runtime().exitCode(c.id());
      containers.runtime().start(c.id());
      if (detach) {
        System.out.println(c.id());
        return 0;
      }
      Map<Signal, sun.misc.SignalHandler> before = forwardSignals(containers, c);
      try {
        LocalLogs.copyUntil(out, err, LocalLogs.when(exit));
        return exit.join();
      } finally {
        before.forEach(Signal::handle);
      }
    } finally {
      if (remove && !detach) {
        containers.remove(c.id(), true);
      }
    }
  }

  private int runWithTerminal(
      LocalContainers containers, RunRequest request, ResolvedImage resolved) throws Exception {
    Path dir = PrivateDirs.create(Files.createTempDirectory("berth-run-tty-"));
    LocalContainer c = null;
    try (ConsoleSocket socket = ConsoleSocket.listen(dir.resolve("console.sock"))) {
      c =
          containers.create(
              request, resolved, Redirect.from(new File("/dev/null")), socket.path().toString());
      CompletableFuture<Integer> exit = containers.runtime().exitCode(c.id());
      PtyMaster master = socket.accept(); // sent while the container was created
      containers.runtime().start(c.id());
      return TerminalRelay.relay(master, exit);
    } finally {
      FileTrees.delete(dir);
      if (remove && c != null) {
        containers.remove(c.id(), true);
      }
    }
  }

  /** The image from the store, pulled first when it is not there (as podman run). */
  private static ResolvedImage imageOf(LocalContainers containers, ImageReference ref)
      throws Exception {
    Platform platform = Platform.host();
    var stored = containers.images().image(ref, platform);
    if (stored.isPresent()) {
      return stored.get();
    }
    System.err.println("berth: pulling " + ref + "...");
    ExecutorService workers = Executors.newFixedThreadPool(4);
    try {
      RegistryClient client =
          new RegistryClient(Map.of(ref.registry(), RegistryHost.defaults(ref.registry())));
      return new ImagePuller(client, containers.images(), workers)
          .pull(ref, platform, PullProgress.NONE);
    } finally {
      workers.shutdownNow();
    }
  }

  /**
   * Signals this command gets go to the container's process, as podman's --sig-proxy; returns the
   * handlers they replaced.
   */
  private static Map<Signal, sun.misc.SignalHandler> forwardSignals(
      LocalContainers containers, LocalContainer c) {
    Map<Signal, sun.misc.SignalHandler> before = new LinkedHashMap<>();
    for (String name : List.of("INT", "TERM", "HUP")) {
      Signal signal = new Signal(name);
      before.put(
          signal,
          Signal.handle(
              signal,
              s -> {
                try {
                  containers.runtime().kill(c.id(), s.getNumber(), false);
                } catch (Exception e) {
                  // stopped meanwhile
                }
              }));
    }
    return before;
  }

  /** The command after the image: a leading "--" only separates it. */
  public static List<String> argsAfterDashes(List<String> args) {
    return !args.isEmpty() && args.get(0).equals("--") ? args.subList(1, args.size()) : args;
  }

  /** -e values as a map: K=V, or K alone for this command's own value (skipped when unset). */
  static Map<String, String> environment(List<String> values) {
    if (values.size() > MAX_ENV) {
      throw new IllegalArgumentException("-e: at most " + MAX_ENV + " variables");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String v : values) {
      int eq = v.indexOf('=');
      String key = eq < 0 ? v : v.substring(0, eq);
      if (key.isEmpty() || key.indexOf('\0') >= 0 || v.length() > 128 * 1024) {
        throw new IllegalArgumentException("-e: \"" + v + "\" is not K=V");
      }
      String value = eq < 0 ? System.getenv(key) : v.substring(eq + 1);
      if (value != null) {
        out.put(key, value);
      }
    }
    return out;
  }
}
