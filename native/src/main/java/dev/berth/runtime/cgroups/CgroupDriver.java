package dev.berth.runtime.cgroups;

import dev.berth.model.runtime.Resources;
import dev.berth.runtime.ContainerException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Creates and opens container cgroups on one cgroup layout (v1 hierarchies or the v2 unified tree).
 */
public interface CgroupDriver {
  /** "v1" or "v2". */
  String version();

  /**
   * Creates the cgroup at {@code path} (absolute, relative to the cgroup root), applies the
   * resources and returns it; on failure nothing it created is left behind.
   */
  Cgroup create(String path, Resources resources) throws ContainerException;

  /** Opens an existing cgroup, created earlier by {@link #create}. */
  Cgroup open(String path);

  /**
   * The host directories to show inside the container for a "cgroup" mount: name below the mount
   * point -> dir.
   */
  Map<String, Path> containerView(String path);
}
