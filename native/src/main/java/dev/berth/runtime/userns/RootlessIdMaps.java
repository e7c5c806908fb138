package dev.berth.runtime.userns;

import dev.berth.model.runtime.IdMapping;
import dev.berth.runtime.ContainerException;
import dev.berth.runtime.libc.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Writes a child's id maps as an ordinary user may (as runc's rootless mode): its own uid and gid
 * alone directly (the gid with setgroups denied first, which the kernel requires), anything wider
 * through the setuid newuidmap and newgidmap (Debian's uidmap), which check /etc/subuid and
 * /etc/subgid.
 */
public final class RootlessIdMaps {
  private RootlessIdMaps() {}

  public static void write(int pid, List<IdMapping> uids, List<IdMapping> gids)
      throws ContainerException {
    Path proc = Path.of("/proc", Integer.toString(pid));
    int uid = Native.libc().geteuid();
    int gid = Native.libc().getegid();
    if (onlyOwn(uids, uid)) {
      writeFile(proc.resolve("uid_map"), line(uids.get(0)));
    } else {
      helper("newuidmap", pid, uids, "linux.uidMappings");
    }
    if (onlyOwn(gids, gid)) {
      writeFile(proc.resolve("setgroups"), "deny");
      writeFile(proc.resolve("gid_map"), line(gids.get(0)));
    } else {
      helper("newgidmap", pid, gids, "linux.gidMappings");
    }
  }

  private static boolean onlyOwn(List<IdMapping> maps, int id) {
    return maps != null
        && maps.size() == 1
        && maps.get(0).hostID() == id
        && maps.get(0).size() == 1;
  }

  private static String line(IdMapping m) {
    return m.containerID() + " " + m.hostID() + " " + m.size() + "\n";
  }

  private static void helper(String tool, int pid, List<IdMapping> maps, String field)
      throws ContainerException {
    if (maps == null || maps.isEmpty()) {
      throw new ContainerException(field + ": a rootless container needs a mapping of its root");
    }
    List<String> cmd = new ArrayList<>(List.of(tool, Integer.toString(pid)));
    for (IdMapping m : maps) {
      cmd.add(Long.toString(m.containerID()));
      cmd.add(Long.toString(m.hostID()));
      cmd.add(Long.toString(m.size()));
    }
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new ContainerException(
            field
                + ": "
                + tool
                + " refused the mapping (see /etc/sub"
                + (tool.contains("uid") ? "uid" : "gid")
                + "): "
                + out);
      }
    } catch (IOException e) {
      throw new ContainerException(
          field
              + ": mapping more than the user's own id needs "
              + tool
              + " (Debian's uidmap package): "
              + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ContainerException(field + ": interrupted");
    }
  }

  private static void writeFile(Path file, String value) throws ContainerException {
    try {
      Files.writeString(file, value);
    } catch (IOException e) {
      throw new ContainerException(
          "cannot write " + file + ": " + dev.berth.runtime.files.IoFailure.reason(e));
    }
  }
}
