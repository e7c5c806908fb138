package dev.berth.controlplane.gitops;

import dev.berth.controlplane.kafka.CompactedTopicView;
import dev.berth.controlplane.specs.ApplyResult;
import dev.berth.model.JsonMapping;
import dev.berth.model.fleet.KafkaAccess;
import dev.berth.model.gitops.GitSourceSpec;
import dev.berth.model.gitops.StoredGitSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Declared git sources on the compacted topic berth.gitsources (key: name, value: spec and
 * generation, tombstone: removed), seen by every control plane. Blocking: call it from a worker.
 */
public final class GitSourceStore implements AutoCloseable {
  public static final String TOPIC = "berth.gitsources";

  /** Sources a fleet may follow: each costs a mirror and a fetch every interval. */
  public static final int MAX_SOURCES = 100;

  private final CompactedTopicView<StoredGitSource> view;

  private GitSourceStore(CompactedTopicView<StoredGitSource> view) {
    this.view = view;
  }

  public static GitSourceStore open(KafkaAccess kafka) {
    return new GitSourceStore(CompactedTopicView.open(kafka, TOPIC, GitSourceStore::decode));
  }

  /** What an apply did with a source. */
  public record Applied(ApplyResult.Outcome outcome, StoredGitSource source) {}

  /** Stores a source: created, updated with the next generation, or left alone when the same. */
  public synchronized Applied apply(GitSourceSpec given) {
    GitSourceSpec spec = normalized(given);
    StoredGitSource current = view.get(spec.name()).orElse(null);
    if (current == null && view.size() >= MAX_SOURCES) {
      throw new IllegalArgumentException(
          "this fleet follows " + MAX_SOURCES + " sources already, the most it may");
    }
    if (current != null && current.spec().equals(spec)) {
      return new Applied(ApplyResult.Outcome.UNCHANGED, current);
    }
    long now = System.currentTimeMillis();
    StoredGitSource next =
        new StoredGitSource(
            spec,
            current == null ? 1 : current.generation() + 1,
            current == null ? now : current.createdAtMillis(),
            now);
    view.write(spec.name(), encode(next));
    return new Applied(
        current == null ? ApplyResult.Outcome.CREATED : ApplyResult.Outcome.UPDATED, next);
  }

  /** The spec as kept: the kind written out, so equal sources compare equal. */
  private static GitSourceSpec normalized(GitSourceSpec s) {
    return new GitSourceSpec(
        GitSourceSpec.KIND,
        s.name(),
        s.repository(),
        s.revision(),
        s.path(),
        s.interval(),
        s.prune(),
        s.selfHeal(),
        s.suspended() ? Boolean.TRUE : null,
        s.webhookSecret(),
        s.credentials());
  }

  public Optional<StoredGitSource> get(String name) {
    return view.get(name);
  }

  public List<StoredGitSource> list() {
    return view.values().stream().sorted(Comparator.comparing(s -> s.spec().name())).toList();
  }

  /** Removes a source (its workloads stay, as they are); false when there was none. */
  public synchronized boolean delete(String name) {
    if (view.get(name).isEmpty()) {
      return false;
    }
    view.write(name, null);
    return true;
  }

  /** Calls {@code listener} on the follower thread with every source that changes from now on. */
  public void addListener(BiConsumer<String, StoredGitSource> listener) {
    view.addListener(listener);
  }

  static byte[] encode(StoredGitSource s) {
    try {
      return JsonMapping.mapper().writeValueAsBytes(s);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode source " + s.spec().name(), e);
    }
  }

  static StoredGitSource decode(byte[] value) {
    try {
      return JsonMapping.mapper().readValue(value, StoredGitSource.class);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable record on " + TOPIC, e);
    }
  }

  @Override
  public void close() {
    view.close();
  }
}
