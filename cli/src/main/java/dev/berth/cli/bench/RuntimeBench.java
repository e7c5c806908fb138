package dev.berth.cli.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.agent.security.ContainerPolicy;
import dev.berth.agent.security.DefaultSeccomp;
import dev.berth.model.JsonMapping;
import dev.berth.model.runtime.DefaultSpec;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.CreateOptions;
import dev.berth.runtime.bundle.BusyboxRootfs;
import dev.berth.runtime.files.FileTrees;
import dev.berth.runtime.init.Stdio;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Container lifecycles of /bin/true (create, start, wait for exit, delete) through the in-process
 * API, bin/berth-runc, runc and crun (the in-process API and runc also with the fleet's default
 * seccomp filter), interleaved so every variant sees the same machine state. The command lines use
 * `run`, which does create, start, wait and delete in one invocation, for all alike.
 */
@Command(
    name = "runtime",
    description = "lifecycles of /bin/true: in-process API vs berth-runc vs runc vs crun")
final class RuntimeBench implements Callable<Integer> {
  @Option(
      names = {"-n", "--iterations"},
      defaultValue = "50")
  int iterations;

  @Option(names = "--warmup", defaultValue = "5")
  int warmup;

  @Option(names = "--berth-runc", description = "path of bin/berth-runc")
  Path berthRunc;

  @Option(names = "--runc", defaultValue = "/usr/sbin/runc")
  Path runc;

  @Option(names = "--crun", defaultValue = "/usr/bin/crun")
  Path crun;

  private interface Lifecycle {
    void run(String id, Laps laps) throws Exception;
  }

  /** Per-step durations of one variant's lifecycles (create, start, wait, delete). */
  private static final class Laps {
    private final Map<String, Samples> steps = new LinkedHashMap<>();
    private boolean recording;
    private long last;

    void begin(boolean record) {
      recording = record;
      last = System.nanoTime();
    }

    void lap(String step) {
      long now = System.nanoTime();
      if (recording) {
        steps.computeIfAbsent(step, Samples::new).add(now - last);
      }
      last = now;
    }
  }

  @Override
  public Integer call() throws Exception {
    Path work = Files.createTempDirectory("berth-bench-");
    try {
      Path bundle = work.resolve("bundle");
      BusyboxRootfs.create(bundle.resolve("rootfs"));
      ObjectNode config = (ObjectNode) JsonMapping.mapper().readTree(DefaultSpec.json());
      config.put("ociVersion", "1.0.2"); // crun 1.8 predates runtime-spec 1.2 and refuses it
      ((ObjectNode) config.get("process")).put("terminal", false);
      ((ArrayNode) ((ObjectNode) config.get("process")).putArray("args")).add("/bin/true");
      // crun 1.8 refuses any resources on this hybrid cgroup layout: compare on a config without
      // them.
      ((ObjectNode) config.get("linux")).remove("resources");
      Files.writeString(bundle.resolve("config.json"), JsonMapping.write(config));
      // The same with the syscall filter fleet containers get: what seccomp costs a lifecycle.
      Path filtered = work.resolve("bundle-seccomp");
      Files.createDirectories(filtered);
      ((ObjectNode) config.get("root")).put("path", bundle.resolve("rootfs").toString());
      ((ObjectNode) config.get("linux"))
          .set(
              "seccomp",
              JsonMapping.mapper()
                  .valueToTree(
                      DefaultSeccomp.forContainer(
                          ContainerPolicy.DOCKER_DEFAULT_CAPABILITIES, DefaultSeccomp.machine())));
      Files.writeString(filtered.resolve("config.json"), JsonMapping.write(config));

      // For the per-command phase: a container that lives until it is killed.
      Path sleeping = work.resolve("bundle-sleep");
      Files.createDirectories(sleeping);
      ((ObjectNode) config.get("linux")).remove("seccomp");
      ((ArrayNode) ((ObjectNode) config.get("process")).putArray("args")).add("sleep").add("600");
      Files.writeString(sleeping.resolve("config.json"), JsonMapping.write(config));

      ContainerRuntime api = new ContainerRuntime(work.resolve("state-api"));
      Path cli =
          berthRunc != null
              ? berthRunc
              : Path.of(System.getProperty("berth.home", "."), "bin", "berth-runc");
      List<Samples> all = new ArrayList<>();
      List<Lifecycle> runs = new ArrayList<>();
      List<Laps> laps = new ArrayList<>();
      all.add(new Samples("berth in-process API"));
      runs.add(inProcess(api, bundle));
      all.add(new Samples("berth in-process, seccomp"));
      runs.add(inProcess(api, filtered));
      all.add(new Samples("bin/berth-runc"));
      runs.add(runOf(cli, work.resolve("state-cli"), bundle));
      if (Files.isExecutable(runc)) {
        all.add(new Samples("runc " + version(runc)));
        runs.add(runOf(runc, work.resolve("state-runc"), bundle));
        all.add(new Samples("runc, seccomp"));
        runs.add(runOf(runc, work.resolve("state-runc"), filtered));
      }
      if (Files.isExecutable(crun)) {
        all.add(new Samples("crun " + version(crun)));
        runs.add(runOf(crun, work.resolve("state-crun"), bundle));
      }
      if (hybridWithV2Controllers()) {
        System.out.println(
            "note: /sys/fs/cgroup/unified has controllers, which crun refuses; run through"
                + " bin/bench-runtime to give every runtime the same pure-v1 view");
      }
      for (int v = 0; v < runs.size(); v++) {
        laps.add(new Laps());
      }
      System.out.printf(
          "%d lifecycles of /bin/true per variant (after %d warm-up), interleaved%n",
          iterations, warmup);
      for (int i = 0; i < warmup + iterations; i++) {
        for (int v = 0; v < runs.size(); v++) {
          int variant = (v + i) % runs.size(); // rotate who goes first
          long t0 = System.nanoTime();
          laps.get(variant).begin(i >= warmup);
          runs.get(variant).run("bench-" + variant + "-" + i, laps.get(variant));
          long dt = System.nanoTime() - t0;
          if (i >= warmup) {
            all.get(variant).add(dt);
          }
        }
      }
      double crunMedian =
          all.get(all.size() - 1).name().startsWith("crun")
              ? all.get(all.size() - 1).medianMillis()
              : 0;
      System.out.printf("%-28s %10s %10s %12s%n", "variant", "median ms", "p99 ms", "vs crun");
      for (Samples s : all) {
        System.out.printf(
            "%-28s %10.2f %10.2f %12s%n",
            s.name(),
            s.medianMillis(),
            s.percentileMillis(99),
            crunMedian > 0 ? String.format("%.2fx", s.medianMillis() / crunMedian) : "-");
      }
      commandSteps(cli, runc, crun, work, sleeping);
      System.out.printf("%n%-28s %s%n", "steps (median ms)", "");
      for (int v = 0; v < runs.size(); v++) {
        if (!laps.get(v).steps.isEmpty()) {
          StringBuilder line = new StringBuilder(String.format("%-28s", all.get(v).name()));
          laps.get(v)
              .steps
              .forEach(
                  (step, samples) ->
                      line.append(String.format(" %s %.2f", step, samples.medianMillis())));
          System.out.println(line);
        }
      }
      return 0;
    } finally {
      FileTrees.delete(work);
    }
  }

  /** create, start, wait and delete through the in-process API. */
  private static Lifecycle inProcess(ContainerRuntime api, Path bundle) {
    return (id, laps) -> {
      api.create(id, bundle, CreateOptions.monitored(Stdio.discard()));
      laps.lap("create");
      api.start(id);
      laps.lap("start");
      api.exitCode(id).get(30, TimeUnit.SECONDS);
      laps.lap("wait");
      api.delete(id, false);
      laps.lap("delete");
    };
  }

  /**
   * Each command the validation suite and the clients call, timed alone (create, start, state,
   * kill, delete), for berth-runc and the peers alike, on a container that runs until killed.
   */
  private void commandSteps(Path cli, Path runc, Path crun, Path work, Path bundle)
      throws Exception {
    List<String> names = new ArrayList<>(List.of("bin/berth-runc"));
    List<Path> binaries = new ArrayList<>(List.of(cli));
    for (Path peer : List.of(runc, crun)) {
      if (Files.isExecutable(peer)) {
        names.add(peer.getFileName().toString());
        binaries.add(peer);
      }
    }
    int rounds = Math.max(5, iterations / 5);
    List<Laps> laps = new ArrayList<>();
    for (int v = 0; v < binaries.size(); v++) {
      laps.add(new Laps());
    }
    for (int i = 0; i < rounds + 1; i++) {
      for (int v = 0; v < binaries.size(); v++) {
        String root = work.resolve("cmd-state-" + v).toString();
        String b = binaries.get(v).toString();
        String id = "cmd-" + v + "-" + i;
        Laps l = laps.get(v);
        l.begin(i > 0); // the first round warms up
        ExternalCommand.run(List.of(b, "--root", root, "create", "-b", bundle.toString(), id));
        l.lap("create");
        ExternalCommand.run(List.of(b, "--root", root, "start", id));
        l.lap("start");
        ExternalCommand.run(List.of(b, "--root", root, "state", id));
        l.lap("state");
        ExternalCommand.run(List.of(b, "--root", root, "kill", id, "KILL"));
        l.lap("kill");
        Thread.sleep(50); // stopped before delete (not timed)
        l.begin(i > 0);
        ExternalCommand.run(List.of(b, "--root", root, "delete", "--force", id));
        l.lap("delete");
      }
    }
    System.out.printf(
        "%n%s (median ms, %d rounds)%n", "each command alone, a container killed between", rounds);
    for (int v = 0; v < binaries.size(); v++) {
      StringBuilder line = new StringBuilder(String.format("%-28s", names.get(v)));
      laps.get(v)
          .steps
          .forEach(
              (step, samples) ->
                  line.append(String.format(" %s %.1f", step, samples.medianMillis())));
      System.out.println(line);
    }
  }

  /** `run` of a runc-compatible command line, with its own state root. */
  private static Lifecycle runOf(Path binary, Path root, Path bundle) {
    return (id, laps) ->
        ExternalCommand.run(
            List.of(
                binary.toString(), "--root", root.toString(), "run", "-b", bundle.toString(), id));
  }

  private static boolean hybridWithV2Controllers() {
    Path controllers = Path.of("/sys/fs/cgroup/unified/cgroup.controllers");
    try {
      return Files.exists(controllers) && !Files.readString(controllers).isBlank();
    } catch (IOException e) {
      return false;
    }
  }

  private static String version(Path binary) throws Exception {
    Process p =
        new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
    String first = new String(p.getInputStream().readAllBytes()).lines().findFirst().orElse("");
    p.waitFor();
    return first.replaceAll("^\\S+ version ", "").trim();
  }
}
