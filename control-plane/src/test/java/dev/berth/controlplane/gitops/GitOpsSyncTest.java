package dev.berth.controlplane.gitops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.hazelcast.core.HazelcastInstance;
import dev.berth.controlplane.ControlPlane;
import dev.berth.controlplane.ControlPlaneConfig;
import dev.berth.controlplane.TestCredentials;
import dev.berth.controlplane.auth.ApiAccess;
import dev.berth.embedded.EmbeddedHazelcast;
import dev.berth.embedded.EmbeddedKafkaBroker;
import dev.berth.model.JsonMapping;
import dev.berth.model.fleet.StoredWorkload;
import dev.berth.testing.Await;
import dev.berth.testing.StrictVertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fleet following real git repositories (served by `git daemon`, by `git http-backend` behind a
 * password, and over file://) through the API as a user drives it: commits applied, pruned or
 * orphaned, broken commits refused whole, force-pushes followed, drift seen and healed, webhooks
 * checked, an unreachable server survived, rollbacks, and two sources claiming one workload.
 */
class GitOpsSyncTest {
  static Path data;
  static EmbeddedKafkaBroker broker;
  static HazelcastInstance hz;
  static StrictVertx strict;
  static ControlPlane cp;
  static ApiAccess access;
  static HttpClient http;
  static String api;
  static GitDaemon daemon;
  static Path repos;

  @BeforeAll
  static void start() throws Exception {
    data = Files.createTempDirectory("berth-gitops-");
    repos = Files.createDirectories(data.resolve("repos"));
    daemon = GitDaemon.start(repos);
    hz = EmbeddedHazelcast.start("berth-gitops-" + ProcessHandle.current().pid());
    strict = new StrictVertx(500);
    access = TestCredentials.in(data.resolve("pki"));
    broker = TestCredentials.broker(data.resolve("kafka"), access);
    cp =
        ControlPlane.start(
                strict.vertx(),
                new ControlPlaneConfig(
                    broker.bootstrapServers(),
                    0,
                    "cp",
                    3000,
                    1000,
                    ControlPlaneConfig.DEFAULT_CLUSTER_CIDR,
                    access),
                hz)
            .toCompletionStage()
            .toCompletableFuture()
            .get(60, TimeUnit.SECONDS);
    http = TestCredentials.http(access);
    api = "https://127.0.0.1:" + cp.apiPort();
    Await.until(() -> cp.gitops().leader(), "the sync controller leads", 10_000);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cp != null) {
      cp.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    strict.close();
    hz.shutdown();
    broker.close();
    daemon.close();
    try (var walk = Files.walk(data)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    strict.assertNeverBlocked();
  }

  static HttpResponse<String> call(String method, String path, String body, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(api + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + access.bootstrapToken());
    if (body != null) {
      b.header("Content-Type", body.startsWith("{") ? "application/json" : "application/yaml");
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    return JsonMapping.mapper().readTree(r.body());
  }

  static void declare(String yaml) throws Exception {
    var r = call("POST", "/v1/gitops/sources", yaml);
    assertTrue(r.statusCode() == 201 || r.statusCode() == 200, r.body());
  }

  static JsonNode status(String source) throws Exception {
    var r = call("GET", "/v1/gitops/sources/" + source, null);
    assertEquals(200, r.statusCode(), r.body());
    return json(r).path("status");
  }

  /** Waits until the source's status satisfies {@code p}; the last status in the failure. */
  static JsonNode awaitStatus(String source, Predicate<JsonNode> p, String what) throws Exception {
    JsonNode[] last = new JsonNode[1];
    try {
      Await.until(
          () -> {
            try {
              last[0] = status(source);
              return p.test(last[0]);
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          },
          what,
          20_000);
    } catch (AssertionError e) {
      throw new AssertionError(what + "; last status: " + last[0], e);
    }
    return last[0];
  }

  static Predicate<JsonNode> syncedAt(RevCommit c) {
    return s ->
        s.path("sync").asText().equals("Synced")
            && s.path("lastSynced").path("sha").asText().equals(c.name());
  }

  static StoredWorkload workload(String name) {
    return cp.store().get(name).orElse(null);
  }

  static String web(String name, String image, int replicas) {
    return "name: " + name + "\nimage: " + image + "\nreplicas: " + replicas + "\n";
  }

  @Test
  void aCommittedSpecIsAppliedAndAChangedImageTagIsANewGeneration() throws Exception {
    try (TestRepository repo = TestRepository.create(repos, "apps")) {
      RevCommit first = repo.push("web", "deploy/web.yaml", web("gd-web", "local/web:1", 2));
      declare(
          "kind: GitSource\nname: daemon\nrepository: "
              + daemon.url("apps")
              + "\npath: deploy\ninterval: 1s\nprune: true\n");
      JsonNode s = awaitStatus("daemon", syncedAt(first), "the first commit synced");
      assertEquals("daemon", workload("gd-web").source());
      assertEquals(1, workload("gd-web").generation());
      assertEquals(first.name(), s.path("lastFetched").path("sha").asText());
      assertEquals("Ada <ada@example.com>", s.path("lastFetched").path("author").asText());
      assertEquals("Synced", s.path("workloads").get(0).path("state").asText(), s.toString());
      // a poll of the same commit writes nothing: no new generation
      Thread.sleep(2_500);
      assertEquals(1, workload("gd-web").generation());

      RevCommit second = repo.push("web:2", "deploy/web.yaml", web("gd-web", "local/web:2", 2));
      awaitStatus("daemon", syncedAt(second), "the image change synced");
      assertEquals("local/web:2", workload("gd-web").spec().image());
      assertEquals(2, workload("gd-web").generation());
      JsonNode history = status("daemon").path("history");
      assertEquals(second.name(), history.get(0).path("sha").asText());
      assertEquals(1, history.get(0).path("updated").asInt(), history.toString());
      assertEquals(first.name(), history.get(1).path("sha").asText());
      assertEquals(1, history.get(1).path("created").asInt(), history.toString());

      // deleting the file with prune on deletes the workload
      RevCommit third =
          repo.push(
              "gone",
              "deploy/web.yaml",
              null,
              "deploy/keep.yaml",
              web("gd-keep", "local/web:1", 1));
      awaitStatus("daemon", syncedAt(third), "the deletion synced");
      assertTrue(workload("gd-web") == null, "pruned");
      assertEquals("daemon", workload("gd-keep").source());
      assertEquals(200, call("DELETE", "/v1/gitops/sources/daemon", null).statusCode());
    }
  }

  @Test
  void withoutPruneAWorkloadThatLeftTheRepositoryIsReportedAsAnOrphan() throws Exception {
    try (TestRepository repo = TestRepository.create(repos, "orphans")) {
      repo.push(
          "two", "a.yaml", web("or-a", "local/a:1", 1), "b.yaml", web("or-b", "local/b:1", 1));
      declare("name: orphans\nrepository: " + repo.fileUrl() + "\ninterval: 1s\n");
      awaitStatus("orphans", s -> s.path("sync").asText().equals("Synced"), "synced");
      RevCommit without = repo.push("drop b", "b.yaml", null);
      JsonNode s = awaitStatus("orphans", syncedAt(without), "the commit without b synced");
      assertEquals("or-b", s.path("orphans").get(0).asText(), s.toString());
      assertTrue(workload("or-b") != null, "kept: prune is off");
      call("DELETE", "/v1/gitops/sources/orphans", null);
    }
  }

  @Test
  void aCommitWithOneBrokenFileAppliesNothingAndTheNextGoodOneApplies() throws Exception {
    try (TestRepository repo = TestRepository.create(repos, "broken")) {
      RevCommit good = repo.push("good", "a.yaml", web("br-a", "local/a:1", 1));
      declare("name: broken\nrepository: " + daemon.url("broken") + "\ninterval: 1s\n");
      awaitStatus("broken", syncedAt(good), "synced");
      repo.push(
          "half broken",
          "a.yaml",
          web("br-a", "local/a:2", 1),
          "b.yaml",
          web("br-b", "local/b:1", 1),
          "c.yaml",
          "name: br-c\nimage: local/c:1\nreplicas: -3\n");
      JsonNode s =
          awaitStatus("broken", st -> st.path("sync").asText().equals("Failed"), "refused");
      assertEquals(
          "c.yaml: document 1, line 3: replicas: must not be negative (got -3)",
          s.path("errors").get(0).asText(),
          s.toString());
      assertEquals("local/a:1", workload("br-a").spec().image(), "nothing of the commit applied");
      assertTrue(workload("br-b") == null, "nothing of the commit applied");
      RevCommit fixed = repo.push("fixed", "c.yaml", "name: br-c\nimage: local/c:1\nreplicas: 3\n");
      awaitStatus("broken", syncedAt(fixed), "the fixed commit synced");
      assertEquals("local/a:2", workload("br-a").spec().image());
      assertEquals(3, workload("br-c").spec().replicaCount());
      call("DELETE", "/v1/gitops/sources/broken", null);
    }
  }

  @Test
  void aForcePushThatRewritesHistoryIsFollowed() throws Exception {
    try (TestRepository repo = TestRepository.create(repos, "force")) {
      RevCommit base = repo.push("base", "a.yaml", web("fp-a", "local/a:1", 1));
      RevCommit ahead = repo.push("ahead", "a.yaml", web("fp-a", "local/a:2", 1));
      declare("name: force\nrepository: " + daemon.url("force") + "\ninterval: 1s\n");
      awaitStatus("force", syncedAt(ahead), "synced");
      repo.resetTo(base);
      RevCommit rewritten = repo.commit("rewritten", "a.yaml", web("fp-a", "local/a:3", 1));
      repo.push(true);
      awaitStatus("force", syncedAt(rewritten), "the rewritten branch synced");
      assertEquals("local/a:3", workload("fp-a").spec().image());
      call("DELETE", "/v1/gitops/sources/force", null);
    }
  }

  @Test
  void aManualChangeIsOutOfSyncAndSelfHealPutsTheRepositorysVersionBack() throws Exception {
    try (TestRepository repo = TestRepository.create(repos, "heal")) {
      RevCommit c =
          repo.push(
              "two",
              "a.yaml",
              web("sh-heal", "local/a:1", 2),
              "b.yaml",
              web("sh-keep", "local/b:1", 2));
      // a long interval: only drift can bring the fleet back
      declare("name: heal\nrepository: " + repo.fileUrl() + "\ninterval: 1h\nselfHeal: true\n");
      declare("name: noheal\nrepository: " + daemon.url("heal") + "\ninterval: 1h\npath: none\n");
      awaitStatus("heal", syncedAt(c), "synced");
      var applied = call("POST", "/v1/workloads", web("sh-heal", "local/a:1", 5));
      assertEquals(200, applied.statusCode(), applied.body());
      // how fast is the bench's business (berth bench gitops: well under the second asked for)
      Await.until(
          () -> workload("sh-heal").spec().replicaCount() == 2, "healed back to 2 replicas", 5_000);
      assertEquals(3, workload("sh-heal").generation(), "one change, one heal");
      // deleted through the API: put back as well
      assertEquals(200, call("DELETE", "/v1/workloads/sh-keep", null).statusCode());
      Await.until(() -> workload("sh-keep") != null, "recreated", 5_000);
      JsonNode history =
          awaitStatus("heal", s -> s.path("history").size() >= 3, "heals recorded").path("history");
      assertEquals("selfHeal", history.get(0).path("trigger").asText(), history.toString());

      // without selfHeal the change stays and the status says so
      declare("name: heal\nrepository: " + repo.fileUrl() + "\ninterval: 1h\n");
      awaitStatus("heal", s -> s.path("sync").asText().equals("Synced"), "synced again");
      call("POST", "/v1/workloads", web("sh-heal", "local/a:1", 4));
      JsonNode s =
          awaitStatus("heal", st -> st.path("sync").asText().equals("OutOfSync"), "out of sync");
      assertTrue(s.path("message").asText().contains("sh-heal differs in replicas"), s.toString());
      Thread.sleep(1_500);
      assertEquals(4, workload("sh-heal").spec().replicaCount(), "not healed");
      // a manual sync puts it back
      assertEquals(202, call("POST", "/v1/gitops/sources/heal/sync", null).statusCode());
      Await.until(() -> workload("sh-heal").spec().replicaCount() == 2, "synced by hand", 10_000);
      call("DELETE", "/v1/gitops/sources/heal", null);
      call("DELETE", "/v1/gitops/sources/noheal", null);
    }
  }

  @Test
  void aWebhookWithTheSourcesSignatureFetchesAtOnceAndABadOneIsRefused() throws Exception {
    try (TestRepository repo = TestRepository.create(repos, "hooked")) {
      RevCommit first = repo.push("one", "a.yaml", web("wh-a", "local/a:1", 1));
      declare(
          "name: hooked\nrepository: "
              + daemon.url("hooked")
              + "\ninterval: 1h\nwebhookSecret: s3cret-for-hooks\n");
      awaitStatus("hooked", syncedAt(first), "synced");
      JsonNode shown = json(call("GET", "/v1/gitops/sources/hooked", null));
      assertFalse(shown.toString().contains("s3cret"), "the secret is never echoed: " + shown);
      RevCommit second = repo.push("two", "a.yaml", web("wh-a", "local/a:2", 1));
      String payload = "{\"ref\":\"refs/heads/main\",\"after\":\"" + second.name() + "\"}";
      // a bad signature: refused, nothing fetched
      var bad = hook("hooked", payload, "X-Hub-Signature-256", "sha256=" + "0".repeat(64));
      assertEquals(401, bad.statusCode(), bad.body());
      var unsigned = hook("hooked", payload);
      assertEquals(401, unsigned.statusCode(), unsigned.body());
      var unknown = hook("nosuch", payload, "X-Gitlab-Token", "s3cret-for-hooks");
      assertEquals(401, unknown.statusCode(), "an unknown source answers as a bad signature");
      Thread.sleep(1_000);
      assertEquals("local/a:1", workload("wh-a").spec().image());
      // GitHub's signature
      String sig =
          HexFormat.of()
              .formatHex(
                  WebhookSignature.hmac(
                      "s3cret-for-hooks", payload.getBytes(StandardCharsets.UTF_8)));
      var good =
          hook("hooked", payload, "X-Hub-Signature-256", "sha256=" + sig, "X-GitHub-Event", "push");
      assertEquals(202, good.statusCode(), good.body());
      awaitStatus("hooked", syncedAt(second), "synced by the webhook");
      assertEquals("webhook", status("hooked").path("history").get(0).path("trigger").asText());
      // GitLab's token
      RevCommit third = repo.push("three", "a.yaml", web("wh-a", "local/a:3", 1));
      assertEquals(202, hook("hooked", payload, "X-Gitlab-Token", "s3cret-for-hooks").statusCode());
      awaitStatus("hooked", syncedAt(third), "synced by GitLab's webhook");
      call("DELETE", "/v1/gitops/sources/hooked", null);
    }
  }

  static HttpResponse<String> hook(String source, String payload, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(api + "/v1/gitops/hooks/" + source))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(payload));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anUnreachableRepositoryFailsWithItsCauseLeavesTheFleetAndRecovers() throws Exception {
    try (TestRepository repo = TestRepository.create(repos, "flaky")) {
      RevCommit first = repo.push("one", "a.yaml", web("ur-a", "local/a:1", 1));
      declare("name: flaky\nrepository: " + daemon.url("flaky") + "\ninterval: 1s\n");
      awaitStatus("flaky", syncedAt(first), "synced");
      daemon.stop();
      try {
        JsonNode s =
            awaitStatus("flaky", st -> st.path("sync").asText().equals("Failed"), "failed");
        assertTrue(
            s.path("fetchError").asText().contains(daemon.url("flaky")),
            "the cause names the repository: " + s);
        assertEquals(first.name(), s.path("lastSynced").path("sha").asText());
        assertEquals(1, workload("ur-a").generation(), "the fleet is untouched");
      } finally {
        daemon.start();
      }
      RevCommit second = repo.push("two", "a.yaml", web("ur-a", "local/a:2", 1));
      JsonNode s = awaitStatus("flaky", syncedAt(second), "recovered");
      assertTrue(
          s.path("fetchError").isNull() || s.path("fetchError").isMissingNode(), s.toString());
      call("DELETE", "/v1/gitops/sources/flaky", null);
    }
  }

  @Test
  void anHttpsStyleSourceSignsInWithItsPasswordFileAndAWrongOneFails() throws Exception {
    Path passwordFile = data.resolve("git-password");
    Files.writeString(passwordFile, "wrong\n");
    try (TestRepository repo = TestRepository.create(repos, "private");
        GitHttpServer server = GitHttpServer.start(repos, "berth", "pa55word")) {
      RevCommit c = repo.push("one", "a.yaml", web("pw-a", "local/a:1", 1));
      declare(
          "name: private\nrepository: "
              + server.url("private")
              + "\ninterval: 1s\ncredentials:\n  username: berth\n  passwordFile: "
              + passwordFile
              + "\n");
      JsonNode s =
          awaitStatus("private", st -> st.path("sync").asText().equals("Failed"), "refused");
      assertTrue(
          s.path("fetchError").asText().contains("not authorized")
              || s.path("fetchError").asText().contains("401"),
          s.toString());
      Files.writeString(passwordFile, "pa55word\n");
      awaitStatus("private", syncedAt(c), "signed in with the rotated password");
      assertFalse(
          call("GET", "/v1/gitops/sources/private", null).body().contains("pa55word"),
          "the password never shows");
      call("DELETE", "/v1/gitops/sources/private", null);
    }
  }

  @Test
  void aSyncToAnOlderCommitRollsBackAndSuspendsUntilResumed() throws Exception {
    try (TestRepository repo = TestRepository.create(repos, "rollback")) {
      RevCommit v1 = repo.push("v1", "a.yaml", web("rb-a", "local/a:1", 1));
      RevCommit v2 = repo.push("v2", "a.yaml", web("rb-a", "local/a:2", 1));
      declare("name: rollback\nrepository: " + repo.fileUrl() + "\ninterval: 1s\n");
      awaitStatus("rollback", syncedAt(v2), "synced");
      var r =
          call("POST", "/v1/gitops/sources/rollback/sync", "{\"revision\":\"" + v1.name() + "\"}");
      assertEquals(202, r.statusCode(), r.body());
      awaitStatus("rollback", syncedAt(v1), "rolled back");
      assertEquals("local/a:1", workload("rb-a").spec().image());
      Thread.sleep(2_000);
      assertEquals("local/a:1", workload("rb-a").spec().image(), "polls do not undo a rollback");
      assertEquals(200, call("POST", "/v1/gitops/sources/rollback/resume", null).statusCode());
      awaitStatus("rollback", syncedAt(v2), "follows the branch again");
      call("DELETE", "/v1/gitops/sources/rollback", null);
    }
  }

  @Test
  void aWorkloadClaimedByTwoSourcesIsAConflictAndTheSecondAppliesNothing() throws Exception {
    try (TestRepository one = TestRepository.create(repos, "one");
        TestRepository two = TestRepository.create(repos, "two")) {
      RevCommit c1 = one.push("one", "a.yaml", web("cf-shared", "local/a:1", 1));
      two.push(
          "two",
          "a.yaml",
          web("cf-shared", "local/a:2", 1),
          "b.yaml",
          web("cf-other", "local/b:1", 1));
      declare("name: one\nrepository: " + one.fileUrl() + "\ninterval: 1s\n");
      awaitStatus("one", syncedAt(c1), "the first source synced");
      declare("name: two\nrepository: " + two.fileUrl() + "\ninterval: 1s\n");
      JsonNode s = awaitStatus("two", st -> st.path("sync").asText().equals("Failed"), "conflict");
      assertEquals(
          "cf-shared is managed by source one", s.path("conflicts").get(0).asText(), s.toString());
      assertEquals("local/a:1", workload("cf-shared").spec().image());
      assertEquals("one", workload("cf-shared").source());
      assertTrue(workload("cf-other") == null, "nothing of the second source applied");
      call("DELETE", "/v1/gitops/sources/two", null);
      call("DELETE", "/v1/gitops/sources/one", null);
    }
  }

  @Test
  void theDiffShowsWhatASyncWouldChangeAndChangesNothing() throws Exception {
    try (TestRepository repo = TestRepository.create(repos, "diffed")) {
      RevCommit c = repo.push("one", "a.yaml", web("df-a", "local/a:1", 1));
      declare("name: diffed\nrepository: " + repo.fileUrl() + "\ninterval: 1h\nsuspend: true\n");
      // suspended: fetched and compared, not applied
      awaitStatus(
          "diffed", s -> s.path("lastFetched").path("sha").asText().equals(c.name()), "fetched");
      assertTrue(workload("df-a") == null);
      JsonNode d = json(call("GET", "/v1/gitops/sources/diffed/diff", null));
      assertEquals("create", d.path("changes").get(0).path("action").asText(), d.toString());
      assertTrue(
          d.path("changes").get(0).path("diff").asText().contains("+image: local/a:1"),
          d.toString());
      assertTrue(workload("df-a") == null, "a diff changes nothing");
      call("DELETE", "/v1/gitops/sources/diffed", null);
    }
  }

  @Test
  void anInvalidSourceIsRefusedWithEveryBadField() throws Exception {
    var r =
        call(
            "POST",
            "/v1/gitops/sources",
            "name: Bad_Name\nrepository: ftp://x\ninterval: 5 minutes\npath: ../etc\n"
                + "credentials:\n  sshKeyFile: relative\n");
    assertEquals(400, r.statusCode(), r.body());
    String body = r.body();
    for (String field :
        new String[] {"name:", "repository:", "interval:", "path:", "credentials.sshKeyFile:"}) {
      assertTrue(body.contains(field), field + " in " + body);
    }
    assertEquals(404, call("GET", "/v1/gitops/sources/bad-name", null).statusCode());
  }
}
