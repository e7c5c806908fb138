package dev.berth.agent.network.cni;

import dev.berth.model.JsonMapping;
import dev.berth.model.network.CniError;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs CNI plugin binaries as the CNI spec says: found by type in the plugin directories, the
 * command and the container in CNI_* variables, the configuration on stdin, the result (or error)
 * on stdout, the exit code saying which. Each call has a time limit. Blocking: call from a worker.
 */
public final class CniPlugins {
  static final int MAX_OUTPUT = 1 << 20;

  private final List<Path> dirs;
  private final Duration timeout;
  private final Path scratch; // null: the system's temp directory

  /**
   * Plugins from {@code dirs} (Debian's are in /usr/lib/cni), each call limited to {@code timeout}.
   */
  public CniPlugins(List<Path> dirs, Duration timeout) {
    this.dirs = List.copyOf(dirs);
    this.timeout = timeout;
    this.scratch = null;
  }

  /**
   * The same, with the plugins' output files in {@code scratch} (the agent's own directory), which
   * this empties first: files an agent killed mid-call left there (in the instant between their
   * creation and their unlinking) go at its next start, or with its state.
   */
  public CniPlugins(List<Path> dirs, Duration timeout, Path scratch) throws IOException {
    this.dirs = List.copyOf(dirs);
    this.timeout = timeout;
    this.scratch = Files.createDirectories(scratch);
    try (var left = Files.list(scratch)) {
      for (Path f : left.toList()) {
        Files.deleteIfExists(f);
      }
    }
  }

  /** The plugin directories, as CNI_PATH gives them to plugins that call others (IPAM). */
  public List<Path> dirs() {
    return dirs;
  }

  /** The binary for a plugin type; the error names the directories searched and the package. */
  public Path find(String type) throws CniException {
    for (Path dir : dirs) {
      Path p = dir.resolve(type);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p;
      }
    }
    throw new CniException(
        "CNI plugin \""
            + type
            + "\" not found in "
            + dirs
            + " (Debian's plugins: apt-get install containernetworking-plugins)");
  }

  /** What a container's call is about: the CNI_* variables besides the command. */
  public record Call(String containerId, String netns, String ifName, String args) {}

  /**
   * Runs {@code type} with {@code command} (ADD, DEL, CHECK, VERSION) and {@code config} on stdin;
   * returns its stdout on success. A plugin's error result becomes a CniException with its code and
   * message; so does a crash, garbage on stdout, or a plugin that outlives the time limit.
   */
  public byte[] run(String network, String type, String command, Call call, byte[] config)
      throws CniException {
    Path binary = find(type);
    String what = "CNI " + command + " of network " + network + ", plugin " + type;
    Path out = null;
    Path err = null;
    FileChannel outRead = null;
    FileChannel errRead = null;
    try {
      out =
          scratch == null
              ? Files.createTempFile("berth-cni-", ".out")
              : Files.createTempFile(scratch, "", ".out");
      err =
          scratch == null
              ? Files.createTempFile("berth-cni-", ".err")
              : Files.createTempFile(scratch, "", ".err");
      // Read through descriptors opened now, the names gone as soon as the plugin runs: an agent
      // killed while a plugin works leaves no file behind.
      outRead = FileChannel.open(out, StandardOpenOption.READ);
      errRead = FileChannel.open(err, StandardOpenOption.READ);
      ProcessBuilder pb =
          new ProcessBuilder(binary.toString())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      Map<String, String> env = pb.environment();
      env.put("CNI_COMMAND", command);
      env.put("CNI_PATH", dirs.stream().map(Path::toString).collect(Collectors.joining(":")));
      if (call != null) {
        env.put("CNI_CONTAINERID", call.containerId());
        env.put("CNI_NETNS", call.netns());
        env.put("CNI_IFNAME", call.ifName());
        env.put("CNI_ARGS", call.args() == null ? "" : call.args());
      }
      Process p = pb.start();
      deleteQuietly(out);
      deleteQuietly(err);
      try (OutputStream stdin = p.getOutputStream()) {
        stdin.write(config);
      } catch (IOException e) {
        // a plugin that exits before reading its config: its exit code and output say why
      }
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
        throw new CniException(what + ": did not finish within " + timeout.toSeconds() + " s");
      }
      byte[] stdout = bounded(outRead, what);
      if (p.exitValue() != 0) {
        throw failure(what, p.exitValue(), stdout, bounded(errRead, what));
      }
      return stdout;
    } catch (IOException e) {
      throw new CniException(what + ": cannot run " + binary + ": " + e.getMessage(), null, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CniException(what + ": interrupted", null, e);
    } finally {
      closeQuietly(outRead);
      closeQuietly(errRead);
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException e) {
        // read only: nothing lost
      }
    }
  }

  private static byte[] bounded(FileChannel file, String what) throws IOException, CniException {
    long size = file.size();
    if (size > MAX_OUTPUT) {
      throw new CniException(what + ": wrote " + size + " bytes, more than " + MAX_OUTPUT);
    }
    ByteBuffer b = ByteBuffer.allocate((int) size);
    while (b.hasRemaining() && file.read(b, b.position()) > 0) {
      // positional reads until the whole output is in
    }
    return java.util.Arrays.copyOf(b.array(), b.position());
  }

  private static CniException failure(String what, int exit, byte[] stdout, byte[] stderr) {
    try {
      CniError e = JsonMapping.mapper().readValue(stdout, CniError.class);
      if (e != null && e.code() != null) {
        String msg =
            what
                + ": error "
                + e.code()
                + " ("
                + CniError.codeName(e.code())
                + "): "
                + e.msg()
                + (e.details() == null || e.details().isEmpty() ? "" : " (" + e.details() + ")");
        return new CniException(msg, e.code(), null);
      }
    } catch (IOException notAnErrorResult) {
      // fall through: a crash rather than an error result
    }
    String stderrText = new String(stderr, StandardCharsets.UTF_8).strip();
    String stdoutText = new String(stdout, StandardCharsets.UTF_8).strip();
    return new CniException(
        what
            + ": exited with "
            + exit
            + (stderrText.isEmpty() ? "" : ": " + stderrText)
            + (stdoutText.isEmpty() ? "" : " (stdout: " + stdoutText + ")"));
  }

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // a temp file: the OS cleans /tmp
      }
    }
  }
}
