package dev.berth.controlplane.gitops;

import dev.berth.model.fleet.SpecLimits;
import dev.berth.model.gitops.FetchedCommit;
import dev.berth.model.gitops.GitCredentials;
import dev.berth.model.gitops.GitSourceSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The mirrors of the sources this control plane reads (one bare repository per source, kept between
 * fetches so a fetch transfers only what is new), and the manifests at a commit. Blocking (JGit):
 * call it on a worker. One source's mirror is used by one caller at a time.
 */
public final class SourceFetcher implements AutoCloseable {
  private final Path mirrorsDir;
  private final SpecLimits limits;
  private final Map<String, Mirror> mirrors = new HashMap<>();

  private record Mirror(String url, GitCredentials credentials, GitMirror git) {}

  public SourceFetcher(Path mirrorsDir, SpecLimits limits) {
    this.mirrorsDir = mirrorsDir;
    this.limits = limits;
  }

  /** Fetches {@code spec}'s repository and resolves {@code revision} in it. */
  public FetchedCommit fetch(GitSourceSpec spec, String revision) throws IOException {
    GitMirror git = mirror(spec);
    synchronized (git) {
      return git.fetch(revision);
    }
  }

  /** The workload specs under the source's path at {@code sha}, validated as one unit. */
  public SourceManifests.Result manifests(GitSourceSpec spec, String sha) throws IOException {
    GitMirror git = mirror(spec);
    synchronized (git) {
      return SourceManifests.read(git.manifests(sha, spec.pathOrRoot()), limits);
    }
  }

  private synchronized GitMirror mirror(GitSourceSpec spec) throws IOException {
    Mirror m = mirrors.get(spec.name());
    if (m != null
        && m.url().equals(spec.repository())
        && Objects.equals(m.credentials(), spec.credentials())) {
      return m.git();
    }
    Path dir = mirrorsDir.resolve(spec.name());
    if (m != null) {
      m.git().close();
    }
    if (stale(dir, spec.repository())) {
      delete(dir); // another repository under the same name: start over
    }
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("berth-url"), spec.repository());
    GitMirror git =
        GitMirror.open(dir.resolve("repo"), spec.repository(), new GitAuth(spec.credentials()));
    mirrors.put(spec.name(), new Mirror(spec.repository(), spec.credentials(), git));
    return git;
  }

  private static boolean stale(Path dir, String url) throws IOException {
    Path marker = dir.resolve("berth-url");
    return Files.exists(dir) && (!Files.exists(marker) || !Files.readString(marker).equals(url));
  }

  /** Closes and deletes the mirror of a source that is gone. */
  public synchronized void forget(String name) throws IOException {
    Mirror m = mirrors.remove(name);
    if (m != null) {
      m.git().close();
    }
    delete(mirrorsDir.resolve(name));
  }

  private static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Override
  public synchronized void close() {
    mirrors.values().forEach(m -> m.git().close());
    mirrors.clear();
  }
}
