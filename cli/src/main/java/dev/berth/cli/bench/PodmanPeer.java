package dev.berth.cli.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Podman (Debian's, with netavark) as the peer of a benchmark: an image imported from a rootfs,
 * containers run and removed with the options this host needs, everything it made removed on close.
 * On this host crun refuses the hybrid cgroup layout and podman's default rlimits are above the
 * host's, so runc, cgroupfs and the host's own limits are given explicitly.
 */
final class PodmanPeer implements AutoCloseable {
  private static final List<String> PODMAN =
      List.of("podman", "--runtime", "runc", "--cgroup-manager", "cgroupfs");
  private final String image;

  private PodmanPeer(String image) {
    this.image = image;
  }

  static boolean available() {
    try {
      return new ProcessBuilder("podman", "--version").start().waitFor() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  /** Imports {@code rootfs} as {@code image}. */
  static PodmanPeer withImage(Path rootfs, String image) throws Exception {
    Path tar = Files.createTempFile("berth-podman-rootfs-", ".tar");
    try {
      ExternalCommand.run(List.of("tar", "-C", rootfs.toString(), "-cf", tar.toString(), "."));
      ExternalCommand.run(command("import", "-q", tar.toString(), image));
    } finally {
      Files.deleteIfExists(tar);
    }
    return new PodmanPeer(image);
  }

  private static List<String> command(String... args) {
    List<String> argv = new ArrayList<>(PODMAN);
    argv.addAll(List.of(args));
    return argv;
  }

  /**
   * Runs a sleeping container on {@code network} (bridge, none) and removes it, adding the times of
   * each to the samples given (null: not counted).
   */
  void runAndRemove(String name, String network, Samples run, Samples remove) throws Exception {
    long t0 = System.nanoTime();
    ExternalCommand.run(podmanRun(network, List.of("-d", "--name", name), "sleep", "600"));
    long t1 = System.nanoTime();
    ExternalCommand.run(command("rm", "-f", "-t", "0", name));
    long t2 = System.nanoTime();
    if (run != null) {
      run.add(t1 - t0);
      remove.add(t2 - t1);
    }
  }

  /** `podman run --rm` of {@code argv} on {@code network} (bridge, none), in the foreground. */
  void runRemoved(String network, String... argv) throws Exception {
    ExternalCommand.run(podmanRun(network, List.of("--rm"), argv));
  }

  /**
   * `podman run` with {@code options} on {@code network}, the rlimits this host allows (podman's
   * defaults are above them), this peer's image and {@code argv}.
   */
  private List<String> podmanRun(String network, List<String> options, String... argv) {
    List<String> args = new ArrayList<>(List.of("run"));
    args.addAll(options);
    args.addAll(
        List.of(
            "--network",
            network,
            "--ulimit",
            "nofile=1024:1024",
            "--ulimit",
            "nproc=1024:1024",
            image));
    args.addAll(List.of(argv));
    return command(args.toArray(String[]::new));
  }

  @Override
  public void close() throws Exception {
    ExternalCommand.run(command("rmi", "-f", image));
  }
}
