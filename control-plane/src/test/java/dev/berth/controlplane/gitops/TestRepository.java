package dev.berth.controlplane.gitops;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.URIish;

/** A bare repository (what a server serves) and a working clone that commits and pushes to it. */
final class TestRepository implements AutoCloseable {
  final Path bare;
  private final Git work;

  private TestRepository(Path bare, Git work) {
    this.bare = bare;
    this.work = work;
  }

  /** {@code root}/{@code name}.git, bare, branch main, and a clone beside it. */
  static TestRepository create(Path root, String name) throws Exception {
    Path bare = root.resolve(name + ".git");
    Git.init().setBare(true).setInitialBranch("main").setDirectory(bare.toFile()).call().close();
    Git work =
        Git.init()
            .setInitialBranch("main")
            .setDirectory(root.resolve(name + "-work").toFile())
            .call();
    work.remoteAdd().setName("origin").setUri(new URIish(bare.toUri().toString())).call();
    return new TestRepository(bare, work);
  }

  String fileUrl() {
    return bare.toUri().toString();
  }

  /** Commits files (path, text; text null: delete) with {@code message}. */
  RevCommit commit(String message, String... pathsAndTexts) throws Exception {
    Path tree = work.getRepository().getWorkTree().toPath();
    for (int i = 0; i < pathsAndTexts.length; i += 2) {
      Path f = tree.resolve(pathsAndTexts[i]);
      if (pathsAndTexts[i + 1] == null) {
        Files.delete(f);
        work.rm().addFilepattern(pathsAndTexts[i]).call();
      } else {
        Files.createDirectories(f.getParent());
        Files.writeString(f, pathsAndTexts[i + 1]);
        work.add().addFilepattern(pathsAndTexts[i]).call();
      }
    }
    return work.commit().setMessage(message).setAuthor("Ada", "ada@example.com").call();
  }

  /** Commits and pushes to main. */
  RevCommit push(String message, String... pathsAndTexts) throws Exception {
    RevCommit c = commit(message, pathsAndTexts);
    push(false);
    return c;
  }

  void push(boolean force) throws Exception {
    work.push()
        .setRemote("origin")
        .setRefSpecs(new RefSpec((force ? "+" : "") + "main:main"))
        .setPushTags()
        .call();
  }

  /** Moves main back to {@code c} in the clone (then a forced push rewrites the remote). */
  void resetTo(RevCommit c) throws Exception {
    work.reset().setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD).setRef(c.name()).call();
  }

  /** An annotated tag on the clone's HEAD (pushed with the next push). */
  void tag(String name, String message) throws Exception {
    work.tag().setName(name).setAnnotated(true).setMessage(message).call();
  }

  @Override
  public void close() {
    work.close();
  }
}
