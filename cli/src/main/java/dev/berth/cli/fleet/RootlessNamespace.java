package dev.berth.cli.fleet;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs a command (`berth up --rootless` again) inside user, mount and pid namespaces of its own, as
 * rootlesskit does for rootless k3s and Podman's pause process for its containers: root there is
 * the calling user, with the user's subordinate ids from /etc/subuid and /etc/subgid after it
 * (through newuidmap and newgidmap, Debian's uidmap) or, without any, the user's own id alone. The
 * fleet's mounts and processes then belong to those namespaces and end with them.
 */
final class RootlessNamespace {
  /** Set in the command's environment: it runs inside. */
  static final String INSIDE = "BERTH_ROOTLESS_NAMESPACE";

  /** Subordinate ids used at most: one container's worth, as Podman's default range. */
  private static final long MAX_SUBORDINATE = 65536;

  private RootlessNamespace() {}

  /** Whether this process is the command run inside. */
  static boolean inside() {
    return "1".equals(System.getenv(INSIDE));
  }

  /** A user's first subordinate range in a subuid or subgid file. */
  record Range(long start, long count) {}

  /**
   * Runs {@code command} inside, with {@code env} added to its environment, and returns its exit
   * status; stdout and stderr are this process's.
   */
  static int run(List<String> command, java.util.Map<String, String> env)
      throws IOException, InterruptedException {
    // this process's own ids: the owner of its /proc directory
    long uid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
    long gid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:gid")).longValue();
    String user = System.getProperty("user.name");
    Optional<Range> subUids = subordinate(Path.of("/etc/subuid"), user, uid);
    Optional<Range> subGids = subordinate(Path.of("/etc/subgid"), user, gid);
    boolean wide =
        subUids.isPresent() && subGids.isPresent() && helper("newuidmap") && helper("newgidmap");
    List<String> argv =
        new ArrayList<>(
            List.of(
                "unshare",
                "--user",
                "--mount",
                "--pid",
                "--fork",
                "--kill-child",
                "--mount-proc",
                "--propagation",
                "private",
                "--",
                "sh",
                "-c",
                // the maps are written from outside: wait for them before anything runs as root
                "read -r go && [ \"$go\" = go ] && exec \"$@\"",
                "sh"));
    argv.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.INHERIT);
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().putAll(env);
    pb.environment().put(INSIDE, "1");
    Process p = pb.start();
    Thread stopper = new Thread(() -> stop(p), "berth-rootless-stop");
    Runtime.getRuntime().addShutdownHook(stopper);
    try (OutputStream go = p.getOutputStream()) {
      awaitNewUserNamespace(p);
      if (wide) {
        Range u = subUids.get();
        Range g = subGids.get();
        mapWith("newuidmap", p.pid(), uid, u);
        mapWith("newgidmap", p.pid(), gid, g);
      } else {
        // one id, as an unprivileged process may map its own: setgroups must be denied first
        Path proc = Path.of("/proc", Long.toString(p.pid()));
        Files.writeString(proc.resolve("setgroups"), "deny");
        Files.writeString(proc.resolve("uid_map"), "0 " + uid + " 1\n");
        Files.writeString(proc.resolve("gid_map"), "0 " + gid + " 1\n");
      }
      go.write("go\n".getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      p.destroyForcibly();
      throw new IOException("cannot set up the rootless namespaces: " + e.getMessage(), e);
    }
    int exit = p.waitFor();
    try {
      Runtime.getRuntime().removeShutdownHook(stopper);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running already
    }
    return exit;
  }

  /** Ctrl-C or a kill of this process: the command inside stops as it would on its own. */
  private static void stop(Process p) {
    p.descendants()
        .filter(h -> h.info().command().map(c -> c.endsWith("java")).orElse(false))
        .forEach(ProcessHandle::destroy);
    try {
      p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitNewUserNamespace(Process p) throws IOException {
    Path mine = Files.readSymbolicLink(Path.of("/proc/self/ns/user"));
    Path theirs = Path.of("/proc", Long.toString(p.pid()), "ns", "user");
    for (int i = 0; i < 2000; i++) {
      if (!p.isAlive()) {
        throw new IOException("unshare exited with " + p.exitValue());
      }
      try {
        if (!Files.readSymbolicLink(theirs).equals(mine)) {
          return;
        }
      } catch (IOException notYet) {
        // the process is still starting
      }
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
    throw new IOException("unshare made no user namespace within 2 s");
  }

  /** root inside is {@code own} outside; ids 1.. are the subordinate range. */
  private static void mapWith(String helper, long pid, long own, Range sub)
      throws IOException, InterruptedException {
    long count = Math.min(sub.count(), MAX_SUBORDINATE);
    Process m =
        new ProcessBuilder(
                helper,
                Long.toString(pid),
                "0",
                Long.toString(own),
                "1",
                "1",
                Long.toString(sub.start()),
                Long.toString(count))
            .redirectErrorStream(true)
            .start();
    String out = new String(m.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (m.waitFor() != 0) {
      throw new IOException(helper + " failed: " + out);
    }
  }

  /** The first range of {@code user} (by name or by id) in a subuid or subgid file. */
  static Optional<Range> subordinate(Path file, String user, long id) throws IOException {
    if (!Files.isReadable(file)) {
      return Optional.empty();
    }
    for (String line : Files.readAllLines(file)) {
      String[] f = line.trim().split(":");
      if (f.length == 3 && (f[0].equals(user) || f[0].equals(Long.toString(id)))) {
        try {
          return Optional.of(new Range(Long.parseLong(f[1]), Long.parseLong(f[2])));
        } catch (NumberFormatException malformed) {
          // skipped, as shadow's tools skip it
        }
      }
    }
    return Optional.empty();
  }

  private static boolean helper(String name) {
    for (String dir : List.of("/usr/bin", "/bin", "/usr/local/bin")) {
      if (Files.isExecutable(Path.of(dir, name))) {
        return true;
      }
    }
    return false;
  }
}
