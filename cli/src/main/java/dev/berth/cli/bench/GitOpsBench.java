package dev.berth.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.fleetctl.ApiClient;
import dev.berth.model.JsonMapping;
import dev.berth.runtime.files.FileTrees;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.URIish;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * GitOps on the single-machine fleet: from `git push` to the pushed workload's container running,
 * with a signed webhook and with polling; and for a repository of 1,000 workloads, the first full
 * sync and a sync when nothing changed (as the sync controller times its passes).
 */
@Command(
    name = "gitops",
    description = "push-to-running (webhook, polling) and sync times of a 1,000-workload source")
final class GitOpsBench implements Callable<Integer> {
  static final double TARGET_WEBHOOK_MEDIAN_MS = 1_000;
  static final double TARGET_NO_CHANGE_MS = 200;
  static final String SECRET = "bench-webhook-secret";

  @Option(names = "--commits", defaultValue = "50", description = "commits pushed with the webhook")
  int commits;

  @Option(names = "--poll-commits", defaultValue = "50", description = "commits found by polling")
  int pollCommits;

  @Option(names = "--workloads", defaultValue = "1000", description = "workloads of the big source")
  int workloads;

  @Option(names = "--no-change-syncs", defaultValue = "20")
  int noChangeSyncs;

  @Option(
      names = "--heals",
      defaultValue = "20",
      description = "changes by hand put back by selfHeal")
  int heals;

  static final double TARGET_HEAL_MS = 1_000;

  @Override
  public Integer call() throws Exception {
    Path dir = null;
    try (BenchFleet fleet = BenchFleet.start("berth-gitops-bench-")) {
      dir = Files.createTempDirectory("berth-gitops-bench-repos-");
      ApiClient api = fleet.newApiClient();
      Samples hook = new Samples("push -> running, webhook");
      Samples poll = new Samples("push -> running, poll 1s");
      try (Repo repo = Repo.create(dir, "hooked")) {
        repo.push("empty", "README.md", "bench\n");
        declare(
            api,
            "name: hooked\nrepository: "
                + repo.url()
                + "\ninterval: 1h\nwebhookSecret: "
                + SECRET
                + "\n");
        for (int i = 0; i < 3 + commits; i++) {
          String name = "hook-" + i;
          long t0 = System.nanoTime();
          repo.push("add " + name, name + ".yaml", BenchFleet.spec(name, 1));
          webhook(api, "hooked");
          fleet.awaitRunning(BenchFleet.containerOf(name));
          if (i >= 3) {
            hook.add(System.nanoTime() - t0);
          }
        }
      }
      try (Repo repo = Repo.create(dir, "polled")) {
        repo.push("empty", "README.md", "bench\n");
        declare(api, "name: polled\nrepository: " + repo.url() + "\ninterval: 1s\n");
        for (int i = 0; i < pollCommits; i++) {
          String name = "poll-" + i;
          long t0 = System.nanoTime();
          repo.push("add " + name, name + ".yaml", BenchFleet.spec(name, 1));
          fleet.awaitRunning(BenchFleet.containerOf(name));
          poll.add(System.nanoTime() - t0);
          Thread.sleep((long) (Math.random() * 1000)); // pushes land anywhere in the interval
        }
      }
      Samples heal = new Samples("changed by hand -> healed");
      try (Repo repo = Repo.create(dir, "healed")) {
        String head =
            repo.push("one", "healed.yaml", BenchFleet.spec("healed", 0) + "env: {V: git}\n");
        declare(
            api, "name: healed\nrepository: " + repo.url() + "\ninterval: 1h\nselfHeal: true\n");
        awaitHistory(api, "healed", 0, head);
        for (int i = 0; i < 3 + heals; i++) {
          byte[] byHand =
              (BenchFleet.spec("healed", 0) + "env: {V: hand-" + i + "}\n")
                  .getBytes(StandardCharsets.UTF_8);
          long t0 = System.nanoTime();
          ApiClient.Answer a = api.send("POST", "/v1/workloads", "application/yaml", byHand);
          if (a.status() != 200) {
            throw new IllegalStateException("apply by hand: " + ApiClient.error(a));
          }
          while (!"git"
              .equals(
                  api.send("GET", "/v1/workloads/healed", null, null)
                      .body()
                      .path("spec")
                      .path("env")
                      .path("V")
                      .asText())) {
            if (System.nanoTime() - t0 > 30_000_000_000L) {
              throw new IllegalStateException("not healed within 30 s");
            }
            Thread.sleep(2);
          }
          if (i >= 3) {
            heal.add(System.nanoTime() - t0);
          }
        }
      }
      Samples noChange = new Samples("no-change sync");
      long firstSync;
      int created;
      try (Repo repo = Repo.create(dir, "big")) {
        String[] files = new String[workloads * 2];
        for (int i = 0; i < workloads; i++) {
          files[2 * i] = "apps/big-" + i + ".yaml";
          files[2 * i + 1] = BenchFleet.spec("big-" + i, 0);
        }
        String head = repo.push(workloads + " workloads", files);
        declare(api, "name: big\nrepository: " + repo.url() + "\ninterval: 1h\nprune: true\n");
        JsonNode first = awaitHistory(api, "big", 0, head);
        firstSync = first.path("durationMillis").asLong();
        created = first.path("created").asInt();
        for (int i = 0; i < 3 + noChangeSyncs; i++) {
          long since = System.currentTimeMillis();
          ApiClient.Answer a = api.send("POST", "/v1/gitops/sources/big/sync", null, null);
          if (a.status() != 202) {
            throw new IllegalStateException("sync: " + ApiClient.error(a));
          }
          JsonNode r = awaitHistory(api, "big", since, head);
          if (r.path("created").asInt() + r.path("updated").asInt() + r.path("deleted").asInt()
              != 0) {
            throw new IllegalStateException("a sync without a change changed something: " + r);
          }
          if (i >= 3) {
            noChange.add(r.path("durationMillis").asLong() * 1_000_000);
          }
        }
      }
      System.out.printf("%-28s %10s %10s %10s%n", "", "median ms", "p99 ms", "max ms");
      for (Samples s : new Samples[] {hook, poll, heal}) {
        System.out.printf(
            "%-28s %10.1f %10.1f %10.1f%n",
            s.name(), s.medianMillis(), s.percentileMillis(99), s.percentileMillis(100));
      }
      System.out.printf(
          "%-28s %10.1f %10.1f %10.1f%n",
          noChange.name() + " (" + workloads + ")",
          noChange.medianMillis(),
          noChange.percentileMillis(99),
          noChange.percentileMillis(100));
      System.out.printf(
          "%-28s %10d   (%d workloads created in one transaction)%n",
          "first full sync (" + workloads + ")", firstSync, created);
      System.out.printf(
          "targets: webhook median < %.0f ms (%.2fx), healed < %.0f ms (p99 %.2fx),"
              + " no-change sync < %.0f ms (%.2fx)%n",
          TARGET_WEBHOOK_MEDIAN_MS,
          hook.medianMillis() / TARGET_WEBHOOK_MEDIAN_MS,
          TARGET_HEAL_MS,
          heal.percentileMillis(99) / TARGET_HEAL_MS,
          TARGET_NO_CHANGE_MS,
          noChange.medianMillis() / TARGET_NO_CHANGE_MS);
      System.out.println(
          "for context: Argo CD polls every 3 min by default (webhook optional), Flux's"
              + " GitRepository intervals are usually 1-10 min");
      return 0;
    } finally {
      if (dir != null) {
        FileTrees.delete(dir);
      }
    }
  }

  private static void declare(ApiClient api, String yaml) throws Exception {
    ApiClient.Answer a =
        api.send(
            "POST",
            "/v1/gitops/sources",
            "application/yaml",
            yaml.getBytes(StandardCharsets.UTF_8));
    if (a.status() != 201 && a.status() != 200) {
      throw new IllegalStateException("declaring a source: " + ApiClient.error(a));
    }
  }

  private static void webhook(ApiClient api, String source) throws Exception {
    byte[] payload = "{\"ref\":\"refs/heads/main\"}".getBytes(StandardCharsets.UTF_8);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String sig = "sha256=" + HexFormat.of().formatHex(mac.doFinal(payload));
    ApiClient.Answer a =
        api.send(
            "POST",
            "/v1/gitops/hooks/" + source,
            "application/json",
            payload,
            "X-Hub-Signature-256",
            sig,
            "X-GitHub-Event",
            "push");
    if (a.status() != 202) {
      throw new IllegalStateException("webhook: HTTP " + a.status() + " " + ApiClient.error(a));
    }
  }

  /** The newest history entry at or after {@code since} for commit {@code sha}. */
  private static JsonNode awaitHistory(ApiClient api, String source, long since, String sha)
      throws Exception {
    long deadline = System.currentTimeMillis() + 120_000;
    while (System.currentTimeMillis() < deadline) {
      ApiClient.Answer a = api.send("GET", "/v1/gitops/sources/" + source, null, null);
      JsonNode h = a.body().path("status").path("history").path(0);
      if (h.path("atMillis").asLong() >= since && sha.equals(h.path("sha").asText())) {
        if (!h.path("succeeded").asBoolean()) {
          throw new IllegalStateException("sync failed: " + JsonMapping.writeCompact(h));
        }
        return h;
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("no sync of " + source + " at " + sha + " within 120 s");
  }

  /** A bare repository over file:// and a clone that pushes to it. */
  private record Repo(Path bare, Git work) implements AutoCloseable {
    static Repo create(Path dir, String name) throws Exception {
      Path bare = dir.resolve(name + ".git");
      Git.init().setBare(true).setInitialBranch("main").setDirectory(bare.toFile()).call().close();
      Git work =
          Git.init().setInitialBranch("main").setDirectory(dir.resolve(name).toFile()).call();
      work.remoteAdd().setName("origin").setUri(new URIish(bare.toUri().toString())).call();
      return new Repo(bare, work);
    }

    String url() {
      return bare.toUri().toString();
    }

    /** Commits the files (path, text) and pushes; the commit's id. */
    String push(String message, String... pathsAndTexts) throws Exception {
      Path tree = work.getRepository().getWorkTree().toPath();
      for (int i = 0; i < pathsAndTexts.length; i += 2) {
        Path f = tree.resolve(pathsAndTexts[i]);
        Files.createDirectories(f.getParent());
        Files.writeString(f, pathsAndTexts[i + 1]);
      }
      work.add().addFilepattern(".").call();
      String id =
          work.commit().setMessage(message).setAuthor("bench", "bench@berth.dev").call().name();
      work.push().setRemote("origin").setRefSpecs(new RefSpec("main:main")).call();
      return id;
    }

    @Override
    public void close() {
      work.close();
    }
  }
}
