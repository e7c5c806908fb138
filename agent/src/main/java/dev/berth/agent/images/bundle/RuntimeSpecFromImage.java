package dev.berth.agent.images.bundle;

import dev.berth.model.image.ContainerConfig;
import dev.berth.model.image.ImageConfig;
import dev.berth.model.runtime.ContainerProcess;
import dev.berth.model.runtime.DefaultSpec;
import dev.berth.model.runtime.Root;
import dev.berth.model.runtime.Spec;
import dev.berth.model.runtime.User;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns an image config into a runtime-spec config.json the way containerd does: Entrypoint + Cmd
 * as args, Env, WorkingDir, User resolved in the image, and ExposedPorts, Volumes, StopSignal and
 * Labels as annotations.
 */
public final class RuntimeSpecFromImage {
  public static final String EXPOSED_PORTS = "org.opencontainers.image.exposedPorts";
  public static final String VOLUMES = "dev.berth.image.volumes";
  public static final String STOP_SIGNAL = "org.opencontainers.image.stopSignal";
  private static final String DEFAULT_PATH =
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private RuntimeSpecFromImage() {}

  /**
   * The spec for running the image from {@code rootfs}; {@code args}, when given, replace the
   * image's Cmd.
   */
  public static Spec create(ImageConfig image, Path rootfs, String hostname, List<String> args)
      throws IOException {
    return create(image, rootfs, hostname, null, args);
  }

  /**
   * As Kubernetes does: {@code command}, when given, replaces the Entrypoint (and then the image's
   * Cmd is not used); {@code args}, when given, replace the Cmd.
   */
  public static Spec create(
      ImageConfig image, Path rootfs, String hostname, List<String> command, List<String> args)
      throws IOException {
    ContainerConfig c =
        image.config() == null
            ? new ContainerConfig(null, null, null, null, null, null, null, null, null, null)
            : image.config();
    if (command != null && !command.isEmpty()) {
      c =
          new ContainerConfig(
              c.user(),
              c.exposedPorts(),
              c.env(),
              command,
              args == null ? List.of() : args,
              c.volumes(),
              c.workingDir(),
              c.labels(),
              c.stopSignal(),
              c.extra());
      args = null;
    }
    List<String> argv = new ArrayList<>(c.entrypoint() == null ? List.of() : c.entrypoint());
    argv.addAll(args != null && !args.isEmpty() ? args : c.cmd() == null ? List.of() : c.cmd());
    if (argv.isEmpty()) {
      throw new IOException("the image has neither Entrypoint nor Cmd, and no command was given");
    }
    List<String> env = new ArrayList<>(c.env() == null ? List.of() : c.env());
    if (env.stream().noneMatch(e -> e.startsWith("PATH="))) {
      env.add(0, DEFAULT_PATH);
    }
    ImageUser user = ImageUser.resolve(c.user(), rootfs);
    Spec base = DefaultSpec.create();
    ContainerProcess p = base.process();
    ContainerProcess process =
        new ContainerProcess(
            false,
            null,
            new User(user.uid(), user.gid(), null, user.additionalGids(), null, null),
            argv,
            null,
            env,
            c.workingDir() == null || c.workingDir().isEmpty() ? "/" : c.workingDir(),
            p.capabilities(),
            p.rlimits(),
            p.noNewPrivileges(),
            null,
            null,
            null,
            null);
    Map<String, String> annotations = new LinkedHashMap<>();
    if (c.labels() != null) {
      annotations.putAll(c.labels());
    }
    if (c.exposedPorts() != null && !c.exposedPorts().isEmpty()) {
      annotations.put(EXPOSED_PORTS, String.join(",", new TreeSet<>(c.exposedPorts().keySet())));
    }
    if (c.volumes() != null && !c.volumes().isEmpty()) {
      annotations.put(VOLUMES, String.join(",", new TreeSet<>(c.volumes().keySet())));
    }
    if (c.stopSignal() != null) {
      annotations.put(STOP_SIGNAL, c.stopSignal());
    }
    return new Spec(
        base.ociVersion(),
        process,
        new Root(rootfs.toString(), false, null),
        hostname,
        null,
        base.mounts(),
        null,
        annotations.isEmpty() ? null : annotations,
        base.linux(),
        null);
  }
}
