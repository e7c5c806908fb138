package dev.berth.cli.demo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.JsonMapping;
import dev.berth.model.runtime.DefaultSpec;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.CreateOptions;
import dev.berth.runtime.bundle.BusyboxRootfs;
import dev.berth.runtime.files.FileTrees;
import dev.berth.runtime.init.Stdio;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `berth demo`: runs one container from a busybox rootfs through the runtime, shows what it sees,
 * cleans up.
 */
@Command(name = "demo", description = "run one demo container through the runtime and remove it")
public final class DemoCommand implements Callable<Integer> {
  private static final String SCRIPT =
      String.join(
          "; ",
          "echo \"  hostname:      $(hostname)\"",
          "echo \"  my pid:        $$ (PID 1 of its own pid namespace)\"",
          "echo \"  processes:     $(ls /proc | grep -c '^[0-9]') visible\"",
          "echo \"  memory limit:  $(( $(cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null"
              + " || cat /sys/fs/cgroup/memory.max) / 1048576 )) MiB\"",
          "echo \"  pids limit:    $(cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max)\"",
          "echo \"  capabilities:  $(grep CapEff /proc/self/status | cut -f2)\"",
          "echo \"  root fs:       $(touch /x 2>&1 | sed 's/.*: //')\"");

  @Option(names = "--root", defaultValue = "/run/berth", description = "runtime state directory")
  Path root;

  @Override
  public Integer call() throws Exception {
    Path work = Files.createTempDirectory("berth-demo-");
    ContainerRuntime runtime = new ContainerRuntime(root);
    String id = "berth-demo-" + ProcessHandle.current().pid();
    try {
      System.out.println("[1/4] building a busybox rootfs in " + work);
      BusyboxRootfs.create(work.resolve("rootfs"));
      ObjectNode config = (ObjectNode) JsonMapping.mapper().readTree(DefaultSpec.json());
      ObjectNode process = (ObjectNode) config.get("process");
      process.put("terminal", false);
      ((ArrayNode) process.putArray("args")).add("sh").add("-c").add(SCRIPT);
      config.put("hostname", "berth-demo");
      ObjectNode resources = ((ObjectNode) config.get("linux")).putObject("resources");
      resources.putObject("memory").put("limit", 64L << 20);
      resources.putObject("pids").put("limit", 32);
      Files.writeString(work.resolve("config.json"), JsonMapping.write(config));
      System.out.println(
          "[2/4] creating container " + id + " (" + runtime.cgroups().version() + " cgroups)");
      runtime.create(id, work, CreateOptions.monitored(Stdio.inherit()));
      System.out.println("[3/4] starting it; inside the container:");
      runtime.start(id);
      int code = runtime.exitCode(id).get(30, TimeUnit.SECONDS);
      System.out.println("[4/4] it exited with status " + code + "; deleting it");
      runtime.delete(id, true);
      return code;
    } finally {
      try {
        runtime.delete(id, true);
      } catch (Exception alreadyGone) {
        // deleted above
      }
      FileTrees.delete(work);
    }
  }
}
