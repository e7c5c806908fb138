package dev.berth.runtime.testing;

import dev.berth.model.runtime.ContainerProcess;
import dev.berth.model.runtime.State;
import dev.berth.model.runtime.User;
import dev.berth.runtime.ContainerException;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.CreateOptions;
import dev.berth.runtime.ExecHandle;
import dev.berth.runtime.ExecOptions;
import dev.berth.runtime.init.Stdio;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Gives each test a fresh state root and runtime, and removes every container it left at the end.
 */
public abstract class RuntimeTestSupport {
  protected Path work;
  protected Path stateRoot;
  protected ContainerRuntime runtime;
  private static int counter;

  /** What a container printed and how it ended. */
  public record Result(int exitCode, String stdout, String stderr) {}

  @BeforeEach
  void setUpRuntime() throws IOException {
    work = Files.createTempDirectory("berth-test-");
    // A user-namespace container's root is an unprivileged host uid: it must be able to reach the
    // bundle.
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
    stateRoot = work.resolve("state");
    runtime = new ContainerRuntime(stateRoot);
  }

  @AfterEach
  void removeContainers() {
    for (State s : runtime.list()) {
      try {
        runtime.delete(s.id(), true);
      } catch (ContainerException e) {
        System.err.println("cleanup of " + s.id() + " failed: " + e.getMessage());
      }
    }
    BusyboxBundle.deleteTree(work);
  }

  protected static synchronized String newId(String prefix) {
    return prefix + "-" + ProcessHandle.current().pid() + "-" + (++counter);
  }

  protected BusyboxBundle bundle(String script) {
    return BusyboxBundle.create(work, "bundle-" + (++counter), script);
  }

  protected Stdio capture(String id) {
    File out = work.resolve(id + ".out").toFile();
    File err = work.resolve(id + ".err").toFile();
    return new Stdio(Redirect.from(new File("/dev/null")), Redirect.to(out), Redirect.to(err));
  }

  protected String stdoutOf(String id) {
    return read(work.resolve(id + ".out"));
  }

  protected String stderrOf(String id) {
    return read(work.resolve(id + ".err"));
  }

  private static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A process to exec: {@code args} as root, PATH=/bin, in /; the rest is the container's own. */
  protected static ContainerProcess execProcess(List<String> args) {
    return new ContainerProcess(
        false,
        null,
        new User(0L, 0L, null, null, null, null),
        args,
        null,
        List.of("PATH=/bin"),
        "/",
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /** Runs {@code p} in container {@code id}, its stdout to {@code out}; its exit code. */
  protected int execInto(String id, ContainerProcess p, Path out) throws Exception {
    ExecHandle h =
        runtime.exec(
            id,
            p,
            new ExecOptions(
                null,
                null,
                new Stdio(
                    ProcessBuilder.Redirect.INHERIT,
                    ProcessBuilder.Redirect.to(out.toFile()),
                    ProcessBuilder.Redirect.INHERIT)));
    return h.exit().get(30, TimeUnit.SECONDS);
  }

  /** Creates, starts and waits for a container, then deletes it and returns what it did. */
  protected Result run(BusyboxBundle bundle) throws Exception {
    String id = newId("run");
    runtime.create(id, bundle.dir(), CreateOptions.monitored(capture(id)));
    runtime.start(id);
    int code = runtime.exitCode(id).get(30, TimeUnit.SECONDS);
    runtime.delete(id, false);
    return new Result(code, stdoutOf(id), stderrOf(id));
  }
}
