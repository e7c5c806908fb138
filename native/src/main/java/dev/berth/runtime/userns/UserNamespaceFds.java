package dev.berth.runtime.userns;

import dev.berth.runtime.ContainerException;
import dev.berth.runtime.libc.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Open user namespaces with a given id mapping, for idmapped mounts: a namespace outlives the
 * process that made it as long as a descriptor holds it, so each mapping costs one short-lived
 * `unshare` once per process and is kept (one descriptor per range in use).
 */
public final class UserNamespaceFds {
  private static final Map<IdRange, Integer> OPEN = new ConcurrentHashMap<>();
  private static final long WAIT_MILLIS = 5000;

  private UserNamespaceFds() {}

  /** A descriptor of a user namespace mapping ids 0..size-1 to {@code range} (uid and gid). */
  public static int of(IdRange range) throws ContainerException {
    Integer fd = OPEN.get(range);
    if (fd != null) {
      return fd;
    }
    synchronized (OPEN) {
      fd = OPEN.get(range);
      if (fd == null) {
        fd = create(range);
        OPEN.put(range, fd);
      }
      return fd;
    }
  }

  private static int create(IdRange range) throws ContainerException {
    Process p;
    try {
      p =
          new ProcessBuilder(List.of("unshare", "--user", "--", "sleep", "30"))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
    } catch (IOException e) {
      throw new ContainerException(
          "cannot start unshare for the user namespace " + range + ": " + e.getMessage());
    }
    try {
      Path proc = Path.of("/proc", Long.toString(p.pid()));
      String own = Files.readSymbolicLink(Path.of("/proc/self/ns/user")).toString();
      long deadline = System.currentTimeMillis() + WAIT_MILLIS;
      while (Files.readSymbolicLink(proc.resolve("ns/user")).toString().equals(own)) {
        if (!p.isAlive() || System.currentTimeMillis() > deadline) {
          throw new ContainerException(
              "user namespace "
                  + range
                  + ": unshare --user did not make one (exit "
                  + (p.isAlive() ? "none yet" : p.exitValue())
                  + ")");
        }
        TimeUnit.MICROSECONDS.sleep(200);
      }
      String map = "0 " + range.hostId() + " " + range.size() + "\n";
      Files.writeString(proc.resolve("uid_map"), map);
      Files.writeString(proc.resolve("gid_map"), map);
      int fd = Native.libc().open(proc.resolve("ns/user").toString(), Native.O_CLOEXEC, 0);
      if (fd < 0) {
        throw new ContainerException(
            "user namespace "
                + range
                + ": open "
                + proc.resolve("ns/user")
                + ": "
                + dev.berth.runtime.libc.NativeException.errnoName(Native.errno()));
      }
      return fd;
    } catch (IOException e) {
      throw new ContainerException("user namespace " + range + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ContainerException("user namespace " + range + ": interrupted");
    } finally {
      p.destroyForcibly();
      try {
        p.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
