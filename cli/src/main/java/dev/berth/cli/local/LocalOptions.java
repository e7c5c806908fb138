package dev.berth.cli.local;

import dev.berth.agent.local.LocalContainers;
import dev.berth.agent.local.LocalLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where local containers live (as Podman's --root and --runroot): shared by the local commands. */
public final class LocalOptions {
  @Option(
      names = "--root",
      defaultValue = "/var/lib/berth/local",
      description = "local containers' bundles, snapshots and network (default: ${DEFAULT-VALUE})")
  Path root;

  @Option(
      names = "--runroot",
      defaultValue = "/run/berth/local",
      description = "the runtime's state for them (default: ${DEFAULT-VALUE})")
  Path runroot;

  @Option(
      names = "--store",
      defaultValue = "/var/lib/berth/images",
      description = "the image store, as `berth image` fills it (default: ${DEFAULT-VALUE})")
  Path store;

  LocalLayout layout() {
    return new LocalLayout(root, store, runroot);
  }

  /** The local containers (their directories made if missing). */
  public LocalContainers open() throws IOException {
    try {
      return LocalContainers.open(layout());
    } catch (java.nio.file.AccessDeniedException e) {
      throw new IOException(
          "cannot use "
              + e.getFile()
              + ": permission denied (local containers are root's, as Podman's rootful ones: run"
              + " this as root)",
          e);
    }
  }

  /** The local containers if there are any here this user may see; empty otherwise. */
  public Optional<LocalContainers> openIfPresent() throws IOException {
    if (!Files.isDirectory(root) || !Files.isReadable(root)) {
      return Optional.empty();
    }
    return Optional.of(open());
  }
}
