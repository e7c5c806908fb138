package dev.berth.cli.runc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.runtime.bundle.BusyboxRootfs;
import dev.berth.runtime.files.FileTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * podman and containerd (Debian's 4.3 and 1.6) driving bin/berth-runc as their OCI runtime, and
 * runc 1.1.5 the same way in the same test, so any difference shows: run with its exit status, exec
 * with the command's exit status (podman's conmon and containerd's shim reap it), exec with a
 * terminal under a pty, pause and resume, update, kill and rm. containerd runs on its own socket,
 * root and state for this class and stops after it; podman's storage, run and tmp directories are
 * the test's own. This sandbox gives no CAP_SYS_RESOURCE, so podman is given rlimits within the
 * host's (runc fails the same way without them).
 */
class RealClientsIT {
  private static final Path BERTH_RUNC =
      Path.of(System.getProperty("berth.home", "..")).resolve("bin/berth-runc").toAbsolutePath();
  private static final Path RUNC = Path.of("/usr/sbin/runc");
  private static final List<String> LIMITS =
      List.of("--ulimit", "nofile=1024:1024", "--ulimit", "nproc=4096:4096");

  /** What the clients make outside the test's directory, removed after if it was not there. */
  private static final List<Path> OUTSIDE =
      List.of(
          Path.of("/run/containerd"),
          // podman calls the runtime without --root: berth-runc's default state root
          Path.of("/run/berth"),
          Path.of("/run/containers"),
          Path.of("/run/libpod"),
          Path.of("/var/lib/containers"),
          Path.of("/sys/fs/cgroup/memory/libpod_parent"),
          Path.of("/sys/fs/cgroup/memory/default"));

  private static Path work;
  private static Process containerd;
  private static final Map<Path, Boolean> existedBefore = new LinkedHashMap<>();
  private static int next;

  private record Outcome(int exit, String out, String err) {}

  @BeforeAll
  static void start() throws Exception {
    for (Path p : OUTSIDE) {
      existedBefore.put(p, Files.exists(p));
    }
    work = Files.createTempDirectory("berth-clients-");
    Path rootfs = BusyboxRootfs.create(work.resolve("rootfs"));
    // an OCI image of the same rootfs for containerd, made with umoci
    Path oci = work.resolve("oci");
    sh(List.of("umoci", "init", "--layout", oci.toString()));
    sh(List.of("umoci", "new", "--image", oci + ":bb"));
    Path unpacked = work.resolve("unpacked");
    sh(List.of("umoci", "unpack", "--image", oci + ":bb", unpacked.toString()));
    sh(List.of("cp", "-a", rootfs + "/.", unpacked.resolve("rootfs").toString()));
    sh(List.of("umoci", "repack", "--image", oci + ":bb", unpacked.toString()));
    sh(List.of("tar", "-C", oci.toString(), "-cf", work.resolve("bb.tar").toString(), "."));
    containerd =
        new ProcessBuilder(
                "containerd",
                "--address",
                work.resolve("c.sock").toString(),
                "--root",
                work.resolve("croot").toString(),
                "--state",
                work.resolve("cstate").toString())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("containerd.log").toFile())
            .start();
    for (int i = 0; i < 200 && !Files.exists(work.resolve("c.sock")); i++) {
      Thread.sleep(50);
    }
    assertEquals(
        0,
        ctr("images", "import", "--base-name", "local/bb", work.resolve("bb.tar").toString())
            .exit());
  }

  @AfterAll
  static void stop() throws Exception {
    if (containerd != null) {
      containerd.destroy();
      if (!containerd.waitFor(20, TimeUnit.SECONDS)) {
        containerd.destroyForcibly().waitFor();
      }
    }
    // mounts containerd and podman left under the test's directory (snapshots, shm)
    List<String> mounts = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String point = line.split(" ")[4];
      if (point.startsWith(work.toString())) {
        mounts.add(point);
      }
    }
    for (int i = mounts.size() - 1; i >= 0; i--) {
      new ProcessBuilder("umount", "-l", mounts.get(i)).start().waitFor();
    }
    for (Map.Entry<Path, Boolean> e : existedBefore.entrySet()) {
      if (!e.getValue() && Files.exists(e.getKey())) {
        removeCreated(e.getKey());
      }
    }
    FileTrees.delete(work);
  }

  /** A directory a client made: a cgroup (rmdir in every hierarchy) or a plain tree. */
  private static void removeCreated(Path p) throws Exception {
    if (p.startsWith("/sys/fs/cgroup")) {
      String name = p.getFileName().toString();
      try (var hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
        for (Path h : hierarchies.toList()) {
          Path dir = h.resolve(name);
          if (Files.isDirectory(dir)) {
            // children first (podman's conmon cgroup): a cgroup goes only when empty
            new ProcessBuilder(
                    "find", dir.toString(), "-depth", "-type", "d", "-exec", "rmdir", "{}", ";")
                .start()
                .waitFor();
          }
        }
      }
      return;
    }
    new ProcessBuilder("umount", "-R", "-l", p.toString()).start().waitFor();
    FileTrees.delete(p);
  }

  private static void sh(List<String> argv) throws Exception {
    Outcome o = run(argv, false);
    assertEquals(0, o.exit(), argv + ": " + o.err());
  }

  private static Outcome run(List<String> argv, boolean underPty) throws Exception {
    List<String> cmd = new ArrayList<>(argv);
    if (underPty) {
      // A terminal for -t, as a user's: script(1) gives the client a pty. Its input stays open
      // for 2 s, as a user's terminal does: at EOF the clients close the process's stdin, and ctr
      // (with runc as with berth-runc) then stopped copying what the process printed later.
      cmd =
          List.of("sh", "-c", "sleep 2 | script -qec \"" + String.join(" ", argv) + "\" /dev/null");
    }
    CommandOutcome o = CommandOutcome.run(cmd, work, 120);
    return new Outcome(o.exit(), o.out().replace("\r", ""), o.err());
  }

  private static Outcome podman(Path runtime, boolean pty, String... args) throws Exception {
    List<String> argv =
        new ArrayList<>(
            List.of(
                "podman",
                "--runtime",
                runtime.toString(),
                "--root",
                work.resolve("pm-storage").toString(),
                "--runroot",
                work.resolve("pm-run").toString(),
                "--tmpdir",
                work.resolve("pm-tmp").toString(),
                "--cgroup-manager",
                "cgroupfs",
                "--events-backend",
                "file"));
    argv.addAll(List.of(args));
    return run(argv, pty);
  }

  private static Outcome ctr(String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of("ctr", "-a", work.resolve("c.sock").toString()));
    argv.addAll(List.of(args));
    return run(argv, false);
  }

  /** What a client saw, per step, for one runtime. */
  private static Map<String, String> podmanSession(Path runtime, String name) throws Exception {
    Map<String, String> seen = new LinkedHashMap<>();
    String rootfs = work.resolve("rootfs").toString();
    List<String> runArgs = new ArrayList<>(List.of("run", "--rm", "--network", "none"));
    runArgs.addAll(LIMITS);
    runArgs.addAll(List.of("--rootfs", rootfs, "sh", "-c", "echo hi; exit 3"));
    Outcome ran = podman(runtime, false, runArgs.toArray(String[]::new));
    seen.put("run", ran.exit() + " " + ran.out());
    List<String> detached =
        new ArrayList<>(List.of("run", "-d", "--name", name, "--network", "none"));
    detached.addAll(LIMITS);
    detached.addAll(List.of("--rootfs", rootfs, "sleep", "600"));
    Outcome started = podman(runtime, false, detached.toArray(String[]::new));
    assertEquals(0, started.exit(), started.err());
    try {
      Outcome exec = podman(runtime, false, "exec", name, "sh", "-c", "echo in-exec; exit 5");
      seen.put("exec", exec.exit() + " " + exec.out());
      // (a moment before the exit: a client copies the pty's last output after it sees the exit)
      Outcome tty =
          podman(
              runtime, true, "exec", "-t", name, "sh", "-c", "'sleep 0.5; tty; sleep 0.5; exit 4'");
      seen.put("exec -t", tty.exit() + " " + tty.out().replaceAll("/dev/pts/\\d+", "/dev/pts/N"));
      podman(runtime, false, "pause", name);
      seen.put("paused", podman(runtime, false, "inspect", "-f", "{{.State.Status}}", name).out());
      podman(runtime, false, "unpause", name);
      seen.put(
          "unpaused", podman(runtime, false, "inspect", "-f", "{{.State.Status}}", name).out());
      Outcome update = podman(runtime, false, "update", "--memory", "64m", name);
      String id = podman(runtime, false, "inspect", "-f", "{{.Id}}", name).out().trim();
      Path limit =
          Path.of("/sys/fs/cgroup/memory/libpod_parent/libpod-" + id + "/memory.limit_in_bytes");
      seen.put(
          "update",
          update.exit() + " " + (Files.exists(limit) ? Files.readString(limit).trim() : "none"));
      Outcome kill = podman(runtime, false, "kill", name);
      seen.put("kill", Integer.toString(kill.exit()));
      podman(runtime, false, "wait", name);
      seen.put(
          "after kill", podman(runtime, false, "inspect", "-f", "{{.State.Status}}", name).out());
    } finally {
      Outcome rm = podman(runtime, false, "rm", "-f", name);
      seen.put("rm", Integer.toString(rm.exit()));
    }
    return seen;
  }

  @Test
  void podmanRunsExecsPausesUpdatesKillsAndRemovesWithBerthRuncAsWithRunc() throws Exception {
    Map<String, String> runc = podmanSession(RUNC, "pm-runc");
    Map<String, String> berth = podmanSession(BERTH_RUNC, "pm-berth");
    assertEquals(runc, berth, "podman saw the same from both runtimes");
    assertEquals("3 hi\n", berth.get("run"));
    assertEquals("5 in-exec\n", berth.get("exec"), "conmon reaped the exec'd process");
    assertEquals("4 /dev/pts/N\n", berth.get("exec -t"));
    assertEquals("paused\n", berth.get("paused"));
    assertEquals("0 67108864", berth.get("update"));
  }

  private static Map<String, String> ctrSession(Path runtime, String id) throws Exception {
    Map<String, String> seen = new LinkedHashMap<>();
    Outcome ran =
        ctr(
            "run",
            "--rm",
            "--runc-binary",
            runtime.toString(),
            "local/bb:bb",
            id + "-run",
            "sh",
            "-c",
            "echo hi; exit 6");
    seen.put("run", ran.exit() + " " + ran.out());
    Outcome started =
        ctr("run", "-d", "--runc-binary", runtime.toString(), "local/bb:bb", id, "sleep", "600");
    assertEquals(0, started.exit(), started.err());
    try {
      Outcome exec = ctr("task", "exec", "--exec-id", "e1", id, "sh", "-c", "echo in-exec; exit 5");
      seen.put("exec", exec.exit() + " " + exec.out());
      Outcome tty =
          run(
              List.of(
                  "ctr",
                  "-a",
                  work.resolve("c.sock").toString(),
                  "task",
                  "exec",
                  "-t",
                  "--exec-id",
                  "e2",
                  id,
                  "sh",
                  "-c",
                  "'sleep 0.5; tty; sleep 0.5; exit 4'"),
              true);
      seen.put(
          "exec -t",
          tty.exit()
              + " "
              + tty.out()
                  .lines()
                  .filter(l -> l.startsWith("/dev/"))
                  .findFirst()
                  .orElse("")
                  .replaceAll("/dev/pts/\\d+", "/dev/pts/N"));
      ctr("task", "pause", id);
      seen.put("paused", status(id));
      ctr("task", "resume", id);
      seen.put("resumed", status(id));
      seen.put("kill", Integer.toString(ctr("task", "kill", "-s", "9", id).exit()));
      for (int i = 0; i < 100 && !status(id).equals("STOPPED"); i++) {
        Thread.sleep(50);
      }
      seen.put("after kill", status(id));
    } finally {
      ctr("task", "rm", "-f", id);
      seen.put("rm", Integer.toString(ctr("container", "rm", id).exit()));
    }
    return seen;
  }

  private static String status(String id) throws Exception {
    for (String line : ctr("task", "ls").out().split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 3 && f[0].equals(id)) {
        return f[2];
      }
    }
    return "none";
  }

  @Test
  void containerdRunsExecsPausesKillsAndRemovesWithBerthRuncAsWithRunc() throws Exception {
    // ids of containerd's own shape: 64 characters, under its runc root
    // /run/containerd/runc/default
    String tail = "0123456789abcdef".repeat(4).substring(0, 58);
    Map<String, String> runc = ctrSession(RUNC, "r" + tail.substring(0, 57) + "a");
    Map<String, String> berth = ctrSession(BERTH_RUNC, "b" + tail.substring(0, 57) + "a");
    assertEquals(runc, berth, "containerd saw the same from both runtimes");
    assertEquals("6 hi\n", berth.get("run"));
    assertEquals("5 in-exec\n", berth.get("exec"), "the shim reaped the exec'd process");
    assertEquals("4 /dev/pts/N", berth.get("exec -t"));
    assertEquals("PAUSED", berth.get("paused"));
    assertEquals("RUNNING", berth.get("resumed"));
    assertTrue(berth.get("after kill").equals("STOPPED"), berth.toString());
  }
}
