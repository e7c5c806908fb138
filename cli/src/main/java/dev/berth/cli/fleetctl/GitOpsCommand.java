package dev.berth.cli.fleetctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.JsonMapping;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `berth gitops ...`: declare the git sources the fleet follows, see where they stand, steer them.
 */
@Command(
    name = "gitops",
    description = "follow git repositories: add, status, diff, sync, suspend, resume, remove",
    subcommands = {
      GitOpsCommand.Add.class,
      GitOpsCommand.Status.class,
      GitOpsCommand.Diff.class,
      GitOpsCommand.Sync.class,
      GitOpsCommand.Suspend.class,
      GitOpsCommand.Resume.class,
      GitOpsCommand.Remove.class
    })
public final class GitOpsCommand {
  private GitOpsCommand() {}

  /** `berth gitops add NAME --repo URL ...`: writes a GitSource. */
  @Command(name = "add", description = "declare (or change) a git source")
  static final class Add implements Callable<Integer> {
    @Parameters(index = "0", description = "the source's name")
    String name;

    @Option(
        names = "--repo",
        required = true,
        description = "https://, ssh://, git://, file:// or user@host:path")
    String repository;

    @Option(
        names = "--revision",
        description = "branch, tag or commit (default: the remote's HEAD)")
    String revision;

    @Option(names = "--path", description = "directory of the manifests (default: the root)")
    String path;

    @Option(names = "--interval", description = "how often to fetch (default 30s)")
    String interval;

    @Option(names = "--prune", description = "delete workloads that leave the repository")
    boolean prune;

    @Option(names = "--self-heal", description = "put changed workloads back at once")
    boolean selfHeal;

    @Option(names = "--webhook-secret-file", description = "file holding the webhook's secret")
    java.nio.file.Path webhookSecretFile;

    @Option(names = "--username", description = "https user name")
    String username;

    @Option(
        names = "--password-file",
        description = "file on the control plane with the https password or token")
    String passwordFile;

    @Option(names = "--ssh-key-file", description = "private key file on the control plane")
    String sshKeyFile;

    @Option(names = "--known-hosts-file", description = "known_hosts file on the control plane")
    String knownHostsFile;

    @Mixin ApiOptions api = new ApiOptions();

    @Override
    public Integer call() throws Exception {
      ObjectNode spec = JsonMapping.mapper().createObjectNode();
      spec.put("kind", "GitSource").put("name", name).put("repository", repository);
      putIf(spec, "revision", revision);
      putIf(spec, "path", path);
      putIf(spec, "interval", interval);
      if (prune) {
        spec.put("prune", true);
      }
      if (selfHeal) {
        spec.put("selfHeal", true);
      }
      if (webhookSecretFile != null) {
        spec.put("webhookSecret", java.nio.file.Files.readString(webhookSecretFile).strip());
      }
      if (username != null
          || passwordFile != null
          || sshKeyFile != null
          || knownHostsFile != null) {
        ObjectNode c = spec.putObject("credentials");
        putIf(c, "username", username);
        putIf(c, "passwordFile", passwordFile);
        putIf(c, "sshKeyFile", sshKeyFile);
        putIf(c, "knownHostsFile", knownHostsFile);
      }
      return GitOpsCommand.apply(
          api.client(), JsonMapping.mapper().writeValueAsBytes(spec), "application/json");
    }

    private static void putIf(ObjectNode o, String field, String value) {
      if (value != null) {
        o.put(field, value);
      }
    }
  }

  static int apply(ApiClient client, byte[] body, String type) throws Exception {
    ApiClient.Answer a = client.send("POST", "/v1/gitops/sources", type, body);
    if (a.status() != 200 && a.status() != 201) {
      System.err.println("berth: " + ApiClient.error(a));
      return 1;
    }
    System.out.println(
        "gitsource/" + a.body().path("name").asText() + " " + a.body().path("outcome").asText());
    return 0;
  }

  /** `berth gitops status [NAME]`: a line per source, or one source in full. */
  @Command(name = "status", description = "where the sources stand (one in full with its name)")
  static final class Status implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1")
    String name;

    @Option(
        names = {"-o", "--output"},
        description = "json for the API's answer as it is")
    String output;

    @Mixin ApiOptions api = new ApiOptions();

    @Override
    public Integer call() throws Exception {
      ApiClient.Answer a =
          api.client()
              .send("GET", "/v1/gitops/sources" + (name == null ? "" : "/" + name), null, null);
      if (a.status() != 200) {
        System.err.println("berth: " + ApiClient.error(a));
        return 1;
      }
      if ("json".equals(output)) {
        System.out.println(JsonMapping.write(a.body()));
        return 0;
      }
      if (name == null) {
        System.out.printf(
            "%-20s %-10s %-12s %-9s %s%n", "NAME", "SYNC", "HEALTH", "REVISION", "MESSAGE");
        for (JsonNode s : a.body().path("items")) {
          JsonNode st = s.path("status");
          System.out.printf(
              "%-20s %-10s %-12s %-9s %s%n",
              s.path("name").asText(),
              st.path("sync").asText(),
              st.path("health").asText(),
              shortSha(st.path("lastSynced").path("sha").asText("")),
              st.path("message").asText(""));
        }
        return 0;
      }
      print(a.body());
      return 0;
    }

    private static void print(JsonNode s) {
      JsonNode spec = s.path("spec");
      JsonNode st = s.path("status");
      System.out.println("Source:      " + s.path("name").asText());
      System.out.println(
          "Repository:  "
              + spec.path("repository").asText()
              + " @ "
              + spec.path("revision").asText("HEAD")
              + (spec.path("path").asText("").isEmpty()
                  ? ""
                  : " path " + spec.path("path").asText()));
      System.out.println(
          "Options:     interval "
              + spec.path("interval").asText("30s")
              + ", prune "
              + spec.path("prune").asBoolean(false)
              + ", selfHeal "
              + spec.path("selfHeal").asBoolean(false)
              + (spec.path("suspend").asBoolean(false) ? ", SUSPENDED" : "")
              + (s.path("webhook").asBoolean() ? ", webhook" : ""));
      System.out.println(
          "Sync:        " + st.path("sync").asText() + ": " + st.path("message").asText(""));
      System.out.println(
          "Health:      "
              + st.path("health").asText()
              + (st.hasNonNull("healthReason")
                  ? " (" + st.path("healthReason").asText() + ")"
                  : ""));
      System.out.println(
          "Fetched:     " + commit(st.path("lastFetched")) + when(st.path("fetchedAtMillis")));
      if (st.hasNonNull("fetchError")) {
        System.out.println("Fetch error: " + st.path("fetchError").asText());
      }
      System.out.println(
          "Synced:      " + commit(st.path("lastSynced")) + when(st.path("syncedAtMillis")));
      for (JsonNode e : st.path("errors")) {
        System.out.println("  error: " + e.asText());
      }
      if (st.path("workloads").size() > 0) {
        System.out.printf("%n%-30s %-10s %-12s %s%n", "WORKLOAD", "SYNC", "HEALTH", "DETAIL");
        for (JsonNode w : st.path("workloads")) {
          String detail = w.path("detail").asText("");
          if (w.hasNonNull("healthReason")) {
            detail = (detail.isEmpty() ? "" : detail + "; ") + w.path("healthReason").asText();
          }
          System.out.printf(
              "%-30s %-10s %-12s %s%n",
              w.path("name").asText(), w.path("state").asText(), w.path("health").asText(), detail);
        }
      }
      for (JsonNode o : st.path("orphans")) {
        System.out.println("orphan (left the repository, prune is off): " + o.asText());
      }
      for (JsonNode c : st.path("conflicts")) {
        System.out.println("conflict: " + c.asText());
      }
      if (st.path("history").size() > 0) {
        System.out.printf(
            "%n%-20s %-9s %-9s %-6s %s%n", "WHEN", "COMMIT", "TRIGGER", "OK", "RESULT");
        for (JsonNode h : st.path("history")) {
          System.out.printf(
              "%-20s %-9s %-9s %-6s %s%n",
              Instant.ofEpochMilli(h.path("atMillis").asLong()).toString().substring(0, 19),
              shortSha(h.path("sha").asText("")),
              h.path("trigger").asText(),
              h.path("succeeded").asBoolean() ? "yes" : "no",
              h.path("message").asText(""));
        }
      }
    }

    private static String commit(JsonNode c) {
      return c.isMissingNode() || c.isNull()
          ? "(none)"
          : shortSha(c.path("sha").asText())
              + " "
              + c.path("message").asText()
              + " ("
              + c.path("author").asText()
              + ")";
    }

    private static String when(JsonNode millis) {
      return millis.isNumber() ? " at " + Instant.ofEpochMilli(millis.asLong()) : "";
    }
  }

  static String shortSha(String sha) {
    return sha.length() >= 7 ? sha.substring(0, 7) : sha;
  }

  /** Prints the changes of a diff answer; 0 when none, 2 when there are some (as diff(1)). */
  static int printDiff(JsonNode d) {
    for (JsonNode e : d.path("errors")) {
      System.err.println("error: " + e.asText());
    }
    if (d.path("errors").size() > 0) {
      return 1;
    }
    for (JsonNode c : d.path("changes")) {
      System.out.println("# " + c.path("action").asText() + " workload/" + c.path("name").asText());
      System.out.print(c.path("diff").asText());
    }
    for (JsonNode o : d.path("orphans")) {
      System.out.println(
          "# orphan workload/" + o.asText() + " (left the repository; prune is off)");
    }
    for (JsonNode c : d.path("conflicts")) {
      System.out.println("# conflict: " + c.asText());
    }
    return d.path("changes").size() == 0 ? 0 : 2;
  }

  /** `berth gitops diff NAME`: what a sync of the source's revision would change now. */
  @Command(
      name = "diff",
      description = "what a sync would change, changing nothing (exit 2: changes)")
  static final class Diff implements Callable<Integer> {
    @Parameters(index = "0")
    String name;

    @Mixin ApiOptions api = new ApiOptions();

    @Override
    public Integer call() throws Exception {
      ApiClient.Answer a =
          api.client().send("GET", "/v1/gitops/sources/" + name + "/diff", null, null);
      if (a.status() != 200) {
        System.err.println("berth: " + ApiClient.error(a));
        return 1;
      }
      System.out.println("# at " + a.body().path("commit").path("sha").asText());
      return printDiff(a.body());
    }
  }

  /** `berth gitops sync NAME [--revision SHA]`: syncs now, and waits for the result. */
  @Command(
      name = "sync",
      description =
          "sync now, or to an older commit with --revision (a rollback: suspends the source)")
  static final class Sync implements Callable<Integer> {
    @Parameters(index = "0")
    String name;

    @Option(names = "--revision", description = "a full commit id")
    String revision;

    @Option(names = "--timeout", description = "seconds to wait for the result (default 60)")
    int timeoutSeconds = 60;

    @Mixin ApiOptions api = new ApiOptions();

    @Override
    public Integer call() throws Exception {
      ApiClient client = api.client();
      byte[] body =
          revision == null
              ? null
              : JsonMapping.mapper()
                  .writeValueAsBytes(
                      JsonMapping.mapper().createObjectNode().put("revision", revision));
      ApiClient.Answer a =
          client.send(
              "POST",
              "/v1/gitops/sources/" + name + "/sync",
              body == null ? null : "application/json",
              body);
      if (a.status() != 202) {
        System.err.println("berth: " + ApiClient.error(a));
        return 1;
      }
      System.out.println(a.body().path("message").asText());
      long since = a.body().path("requestedAtMillis").asLong();
      long deadline = System.currentTimeMillis() + timeoutSeconds * 1000L;
      while (System.currentTimeMillis() < deadline) {
        ApiClient.Answer s = client.send("GET", "/v1/gitops/sources/" + name, null, null);
        JsonNode latest = s.body().path("status").path("history").path(0);
        if (s.status() == 200 && latest.path("atMillis").asLong() >= since) {
          System.out.println(latest.path("message").asText());
          return latest.path("succeeded").asBoolean() ? 0 : 1;
        }
        Thread.sleep(200);
      }
      System.err.println(
          "berth: no result within "
              + timeoutSeconds
              + " s (see berth gitops status "
              + name
              + ")");
      return 1;
    }
  }

  /** `berth gitops suspend NAME`. */
  @Command(name = "suspend", description = "stop applying (still fetched and compared)")
  static final class Suspend implements Callable<Integer> {
    @Parameters(index = "0")
    String name;

    @Mixin ApiOptions api = new ApiOptions();

    @Override
    public Integer call() throws Exception {
      return post(api, "/v1/gitops/sources/" + name + "/suspend");
    }
  }

  /** `berth gitops resume NAME`. */
  @Command(name = "resume", description = "apply again, following the source's revision")
  static final class Resume implements Callable<Integer> {
    @Parameters(index = "0")
    String name;

    @Mixin ApiOptions api = new ApiOptions();

    @Override
    public Integer call() throws Exception {
      return post(api, "/v1/gitops/sources/" + name + "/resume");
    }
  }

  /** `berth gitops remove NAME`: the source goes; its workloads stay. */
  @Command(name = "remove", description = "stop following a source (its workloads stay)")
  static final class Remove implements Callable<Integer> {
    @Parameters(index = "0")
    String name;

    @Mixin ApiOptions api = new ApiOptions();

    @Override
    public Integer call() throws Exception {
      ApiClient.Answer a = api.client().send("DELETE", "/v1/gitops/sources/" + name, null, null);
      return report(a);
    }
  }

  private static int post(ApiOptions api, String path) throws Exception {
    return report(api.client().send("POST", path, null, null));
  }

  private static int report(ApiClient.Answer a) {
    if (a.status() != 200) {
      System.err.println("berth: " + ApiClient.error(a));
      return 1;
    }
    System.out.println(a.body().path("message").asText());
    return 0;
  }
}
