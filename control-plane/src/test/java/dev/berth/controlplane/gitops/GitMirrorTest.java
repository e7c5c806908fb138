package dev.berth.controlplane.gitops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.model.gitops.FetchedCommit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mirror against a real bare repository over file://, pushed to by a working clone. */
class GitMirrorTest {
  @TempDir Path dir;
  private TestRepository repo;
  private String url;

  @BeforeEach
  void repositories() throws Exception {
    repo = TestRepository.create(dir, "remote");
    url = repo.fileUrl();
  }

  @org.junit.jupiter.api.AfterEach
  void closeWork() {
    repo.close();
  }

  private RevCommit commit(String message, String... pathsAndTexts) throws Exception {
    return repo.commit(message, pathsAndTexts);
  }

  private void push(boolean force) throws Exception {
    repo.push(force);
  }

  @Test
  void fetchesTheRemotesHeadAndReadsOnlyManifestsUnderThePath() throws Exception {
    RevCommit c =
        commit(
            "first",
            "apps/web.yaml",
            "name: web\nimage: local/busybox:1\n",
            "apps/nested/db.json",
            "{\"name\": \"db\", \"image\": \"local/busybox:1\"}",
            "apps/README.md",
            "not a manifest",
            "other/api.yaml",
            "name: api\nimage: local/busybox:1\n");
    push(false);
    try (GitMirror mirror = GitMirror.open(dir.resolve("mirror"), url)) {
      FetchedCommit fetched = mirror.fetch("HEAD");
      assertEquals(c.name(), fetched.sha());
      assertEquals("Ada <ada@example.com>", fetched.author());
      assertEquals("first", fetched.message());
      assertEquals(
          List.of("apps/nested/db.json", "apps/web.yaml"),
          List.copyOf(mirror.manifests(fetched.sha(), "apps").keySet()));
      assertEquals(
          "name: web\nimage: local/busybox:1\n",
          new String(
              mirror.manifests(fetched.sha(), "./apps/").get("apps/web.yaml"),
              StandardCharsets.UTF_8));
      assertEquals(3, mirror.manifests(fetched.sha(), ".").size());
    }
  }

  @Test
  void followsNewCommitsAndForcePushesThatRewriteHistory() throws Exception {
    RevCommit first = commit("first", "web.yaml", "name: web\nimage: local/busybox:1\n");
    push(false);
    try (GitMirror mirror = GitMirror.open(dir.resolve("mirror"), url)) {
      assertEquals(first.name(), mirror.fetch("main").sha());
      RevCommit second = commit("second", "web.yaml", "name: web\nimage: local/busybox:2\n");
      push(false);
      assertEquals(second.name(), mirror.fetch("main").sha());
      repo.resetTo(first);
      RevCommit rewritten = commit("rewritten", "api.yaml", "name: api\nimage: local/busybox:1\n");
      push(true);
      FetchedCommit now = mirror.fetch("main");
      assertEquals(rewritten.name(), now.sha(), "the branch as the remote has it now");
      assertEquals(
          List.of("api.yaml", "web.yaml"), List.copyOf(mirror.manifests(now.sha(), "").keySet()));
      // an older commit still known to the mirror can be asked for by id (a rollback)
      assertEquals(first.name(), mirror.resolve(first.name()).sha());
    }
  }

  @Test
  void resolvesTagsAndRefusesWhatIsNotThere() throws Exception {
    RevCommit c = commit("first", "web.yaml", "name: web\nimage: local/busybox:1\n");
    repo.tag("v1", "release");
    push(false);
    try (GitMirror mirror = GitMirror.open(dir.resolve("mirror"), url)) {
      assertEquals(c.name(), mirror.fetch("v1").sha());
      IOException e = assertThrows(IOException.class, () -> mirror.fetch("no-such-branch"));
      assertTrue(
          e.getMessage().contains("\"no-such-branch\" is not a branch, tag or commit"),
          e.getMessage());
    }
  }

  @Test
  void anUnreachableRemoteFailsWithItsCauseAndKeepsWhatWasFetched() throws Exception {
    RevCommit c = commit("first", "web.yaml", "name: web\nimage: local/busybox:1\n");
    push(false);
    try (GitMirror mirror = GitMirror.open(dir.resolve("mirror"), url)) {
      mirror.fetch("main");
    }
    try (var files = Files.walk(dir.resolve("remote.git"))) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    try (GitMirror mirror = GitMirror.open(dir.resolve("mirror"), url)) {
      IOException e = assertThrows(IOException.class, () -> mirror.fetch("main"));
      assertTrue(e.getMessage().startsWith("fetching " + url), e.getMessage());
      assertEquals(c.name(), mirror.resolve("main").sha(), "the last fetched state is kept");
    }
  }
}
