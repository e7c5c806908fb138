package dev.berth.model.gitops;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A git repository the fleet follows, as users write it ({@code kind: GitSource}): where the
 * manifests are (repository, revision, path), how often to look (interval), and what a sync may do
 * (prune workloads that left the repository, heal drift, or nothing while suspended).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GitSourceSpec(
    String kind,
    String name,
    String repository,
    String revision,
    String path,
    String interval,
    Boolean prune,
    Boolean selfHeal,
    Boolean suspend,
    String webhookSecret,
    GitCredentials credentials) {
  public static final String KIND = "GitSource";
  public static final String DEFAULT_INTERVAL = "30s";

  /** The revision to follow, the remote's HEAD when not given. */
  public String revisionOrHead() {
    return revision == null || revision.isEmpty() ? "HEAD" : revision;
  }

  /** The directory of the manifests in the repository, its root when not given. */
  public String pathOrRoot() {
    return path == null ? "" : path;
  }

  /** How often the repository is fetched, in milliseconds. */
  public long intervalMillis() {
    return Durations.millis(interval == null ? DEFAULT_INTERVAL : interval);
  }

  public boolean pruning() {
    return Boolean.TRUE.equals(prune);
  }

  public boolean healing() {
    return Boolean.TRUE.equals(selfHeal);
  }

  public boolean suspended() {
    return Boolean.TRUE.equals(suspend);
  }

  /** The same source with {@code suspend} set. */
  public GitSourceSpec withSuspend(boolean value) {
    return new GitSourceSpec(
        kind,
        name,
        repository,
        revision,
        path,
        interval,
        prune,
        selfHeal,
        value ? Boolean.TRUE : null,
        webhookSecret,
        credentials);
  }

  /** The source as the API shows it: the webhook secret left out. */
  public GitSourceSpec redacted() {
    return new GitSourceSpec(
        KIND,
        name,
        repository,
        revision,
        path,
        interval,
        prune,
        selfHeal,
        suspend,
        null,
        credentials);
  }
}
