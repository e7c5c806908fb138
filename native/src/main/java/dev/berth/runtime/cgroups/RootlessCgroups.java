package dev.berth.runtime.cgroups;

import dev.berth.model.runtime.Resources;
import dev.berth.runtime.ContainerException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Cgroups for a runtime run by an ordinary user: the host's, where the user may create them (a
 * delegated subtree, as systemd gives a user's session on cgroup v2); else none at all for a
 * container that asks for no limits (a {@link DetachedCgroup}, as runc's rootless mode), and a
 * clear error for one that does.
 */
public final class RootlessCgroups implements CgroupDriver {
  private final CgroupDriver host;

  public RootlessCgroups(CgroupDriver host) {
    this.host = host;
  }

  @Override
  public String version() {
    return host.version();
  }

  @Override
  public Cgroup create(String path, Resources resources) throws ContainerException {
    try {
      return host.create(path, resources);
    } catch (ContainerException e) {
      if (!e.getMessage().contains("EACCES")
          && !e.getMessage().contains("EPERM")
          && !e.getMessage().contains("EROFS")) {
        throw e;
      }
      if (!isEmpty(resources)) {
        throw noDelegation(path);
      }
      return new DetachedCgroup(path);
    }
  }

  @Override
  public Cgroup open(String path) {
    Cgroup c = host.open(path);
    return containerView(path).isEmpty() ? new DetachedCgroup(path) : c;
  }

  /** Only the directories that exist: a detached container shows an empty cgroup mount. */
  @Override
  public Map<String, Path> containerView(String path) {
    Map<String, Path> view = new LinkedHashMap<>();
    host.containerView(path)
        .forEach(
            (k, v) -> {
              if (Files.isDirectory(v)) {
                view.put(k, v);
              }
            });
    return view;
  }

  static boolean isEmpty(Resources r) {
    return r == null
        || ((r.devices() == null || r.devices().isEmpty())
            && r.memory() == null
            && r.cpu() == null
            && r.pids() == null
            && r.blockIO() == null
            && (r.hugepageLimits() == null || r.hugepageLimits().isEmpty())
            && r.network() == null
            && (r.rdma() == null || r.rdma().isEmpty())
            && (r.unified() == null || r.unified().isEmpty()));
  }

  static ContainerException noDelegation(String path) {
    return new ContainerException(
        "cgroup "
            + path
            + ": linux.resources asks for limits, but this user may not create cgroups here (no"
            + " delegated cgroup: on cgroup v2, run under a systemd user session with"
            + " Delegate=yes; or remove linux.resources)");
  }
}
