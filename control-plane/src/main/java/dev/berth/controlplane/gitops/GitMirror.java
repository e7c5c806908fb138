package dev.berth.controlplane.gitops;

import dev.berth.model.gitops.FetchedCommit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

/**
 * A source's repository, mirrored bare on the control plane and read at a commit without a checkout
 * (JGit; blocking: call it on a worker). Fetches follow force-pushes: the branches are mirrored as
 * the remote has them, not merged.
 */
public final class GitMirror implements AutoCloseable {
  private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");
  private static final int FETCH_TIMEOUT_SECONDS = 60;
  // The remote's HEAD, kept outside refs/remotes/origin/ where a second update of it in the same
  // fetch (with the branch it points at) is refused as a duplicate.
  private static final String REMOTE_HEAD = "refs/berth/remote-head";
  private final Git git;
  private final String url;
  private final GitAuth auth;
  private final Path dir;

  private GitMirror(Git git, String url, GitAuth auth, Path dir) {
    this.git = git;
    this.url = url;
    this.auth = auth;
    this.dir = dir;
  }

  /** Opens the mirror in {@code dir}, creating an empty bare repository there the first time. */
  public static GitMirror open(Path dir, String url) throws IOException {
    return open(dir, url, GitAuth.NONE);
  }

  /** As {@link #open(Path, String)}, fetching with {@code auth}. */
  public static GitMirror open(Path dir, String url, GitAuth auth) throws IOException {
    try {
      if (!Files.exists(dir.resolve("HEAD"))) {
        Files.createDirectories(dir);
        return new GitMirror(
            Git.init().setBare(true).setDirectory(dir.toFile()).call(), url, auth, dir);
      }
      Repository repo =
          new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true).build();
      return new GitMirror(new Git(repo), url, auth, dir);
    } catch (GitAPIException e) {
      throw new IOException(
          "creating the mirror of " + url + " in " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Fetches the remote's branches, tags and HEAD (rewritten history replaces the old), then
   * resolves {@code revision}: "HEAD", a branch, a tag or a full commit id.
   *
   * @throws IOException when the remote cannot be read (unreachable, refused, not a repository) or
   *     the revision is not in it; the mirror is then as it was
   */
  public FetchedCommit fetch(String revision) throws IOException {
    try {
      var fetch = git.fetch();
      auth.configure(fetch, dir.resolve("ssh"));
      fetch
          .setRemote(url)
          .setRefSpecs(
              new RefSpec("+refs/heads/*:refs/remotes/origin/*"),
              new RefSpec("+refs/tags/*:refs/tags/*"),
              new RefSpec("+HEAD:" + REMOTE_HEAD))
          .setRemoveDeletedRefs(true)
          .setTimeout(FETCH_TIMEOUT_SECONDS)
          .call();
    } catch (GitAPIException | RuntimeException e) {
      throw new IOException("fetching " + url + ": " + rootMessage(e), e);
    }
    return resolve(revision);
  }

  /** The commit {@code revision} names in the mirror as last fetched. */
  public FetchedCommit resolve(String revision) throws IOException {
    Repository repo = git.getRepository();
    ObjectId id = null;
    if (SHA.matcher(revision).matches()) {
      id = repo.resolve(revision + "^{commit}");
    } else if (revision.equals(Constants.HEAD)) {
      id = repo.resolve(REMOTE_HEAD + "^{commit}");
    } else {
      id = repo.resolve("refs/remotes/origin/" + revision + "^{commit}");
      if (id == null) {
        id = repo.resolve("refs/tags/" + revision + "^{commit}");
      }
    }
    if (id == null) {
      throw new IOException(
          "\"" + revision + "\" is not a branch, tag or commit of " + url + " (as last fetched)");
    }
    try (RevWalk walk = new RevWalk(repo)) {
      RevCommit c = walk.parseCommit(id);
      return new FetchedCommit(
          c.name(),
          c.getAuthorIdent().getName() + " <" + c.getAuthorIdent().getEmailAddress() + ">",
          c.getShortMessage(),
          c.getCommitTime() * 1000L);
    }
  }

  /**
   * The manifests ({@link SourceManifests#isManifest}) under {@code path} at {@code sha}, by path
   * relative to the repository, within the bounds of {@link SourceManifests}.
   */
  public SortedMap<String, byte[]> manifests(String sha, String path) throws IOException {
    Repository repo = git.getRepository();
    String under = path.replaceAll("^\\./?|/+$", "");
    SortedMap<String, byte[]> files = new TreeMap<>();
    long total = 0;
    try (RevWalk walk = new RevWalk(repo);
        TreeWalk tree = new TreeWalk(repo)) {
      tree.addTree(walk.parseCommit(ObjectId.fromString(sha)).getTree());
      tree.setRecursive(true);
      if (!under.isEmpty()) {
        tree.setFilter(PathFilter.create(under));
      }
      while (tree.next()) {
        String file = tree.getPathString();
        if (!SourceManifests.isManifest(file) || (tree.getRawMode(0) & 0170000) != 0100000) {
          continue; // not a manifest, or not a regular file (a symlink, a submodule)
        }
        if (files.size() == SourceManifests.MAX_FILES) {
          throw new IOException(
              "more than " + SourceManifests.MAX_FILES + " manifests under " + describe(under));
        }
        ObjectLoader blob = repo.open(tree.getObjectId(0));
        if (blob.getSize() > SourceManifests.MAX_FILE_BYTES) {
          throw new IOException(
              file + ": " + blob.getSize() + " bytes, at most " + SourceManifests.MAX_FILE_BYTES);
        }
        total += blob.getSize();
        if (total > SourceManifests.MAX_TOTAL_BYTES) {
          throw new IOException(
              "the manifests under "
                  + describe(under)
                  + " exceed "
                  + SourceManifests.MAX_TOTAL_BYTES
                  + " bytes");
        }
        files.put(file, blob.getBytes());
      }
    }
    return files;
  }

  private static String describe(String under) {
    return under.isEmpty() ? "the repository's root" : under;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    StringBuilder out = new StringBuilder(String.valueOf(e.getMessage()));
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
      if (t.getMessage() != null && !out.toString().contains(t.getMessage())) {
        out.append(": ").append(t.getMessage());
      }
    }
    return out.toString();
  }

  @Override
  public void close() {
    git.close();
  }
}
