package dev.berth.controlplane.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.berth.controlplane.api.ApiContext;
import dev.berth.controlplane.api.ApiExtension;
import dev.berth.controlplane.auth.ApiErrors;
import dev.berth.controlplane.auth.BearerAuthentication;
import dev.berth.controlplane.auth.RateLimit;
import dev.berth.controlplane.auth.Role;
import dev.berth.controlplane.specs.ApplyResult;
import dev.berth.controlplane.specs.WorkloadStore;
import dev.berth.model.JsonMapping;
import dev.berth.model.fleet.ContainerReport;
import dev.berth.model.fleet.FleetMaps;
import dev.berth.model.fleet.SchedulingStatus;
import dev.berth.model.fleet.SpecLimits;
import dev.berth.model.fleet.StoredWorkload;
import dev.berth.model.fleet.WorkloadSpec;
import dev.berth.model.gitops.GitSourceSpecs;
import dev.berth.model.gitops.GitSourceStatus;
import dev.berth.model.gitops.StoredGitSource;
import dev.berth.model.gitops.WorkloadSync;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.logging.Logger;

/**
 * The GitOps routes of the fleet API: sources (declare, list, status with health, remove; admin to
 * declare, as a source names files on the control plane), sync now or to an older commit, suspend
 * and resume, the diff a sync would apply, `berth diff` of local files, and the forges' push
 * webhook (signed with the source's secret instead of a token).
 */
public final class GitOpsApi implements ApiExtension {
  private static final Logger LOG = Logger.getLogger(GitOpsApi.class.getName());

  /** A source spec is small; a push payload is larger (GitHub lists the pushed commits). */
  static final int MAX_SOURCE_BODY = 64 * 1024;

  static final int MAX_HOOK_BODY = 4 * 1024 * 1024;
  static final int MAX_DIFF_BODY = 16 * 1024 * 1024;

  private final GitSourceStore sources;
  private final WorkloadStore store;
  private final SourceFetcher fetcher;
  private final HazelcastInstance hazelcast;
  private final SpecLimits limits;
  private WorkerExecutor workers;

  public GitOpsApi(
      GitSourceStore sources,
      WorkloadStore store,
      SourceFetcher fetcher,
      HazelcastInstance hazelcast,
      SpecLimits limits) {
    this.sources = sources;
    this.store = store;
    this.fetcher = fetcher;
    this.hazelcast = hazelcast;
    this.limits = limits;
  }

  @Override
  public void mountPublic(Router router, ApiContext context) {
    workers = context.workers();
    // A forge cannot hold a bearer token; the body's signature is its credential. Bounded per
    // address: a stranger may send some, not a flood.
    RateLimit perAddress = new RateLimit("webhook", 5, 20);
    router
        .post("/v1/gitops/hooks/:source")
        .handler(BodyHandler.create().setBodyLimit(MAX_HOOK_BODY))
        .handler(
            ctx -> {
              double wait = perAddress.take(ctx.request().remoteAddress().hostAddress());
              if (wait > 0) {
                ctx.response().putHeader("Retry-After", Long.toString((long) Math.ceil(wait)));
                ApiErrors.end(ctx, 429, "too many webhook requests from this address");
              } else {
                hook(ctx, context);
              }
            });
  }

  @Override
  public Future<Void> mount(Router router, ApiContext context) {
    workers = context.workers();
    var viewer = BearerAuthentication.requireRole(Role.VIEWER);
    var operator = BearerAuthentication.requireRole(Role.OPERATOR);
    var admin = BearerAuthentication.requireRole(Role.ADMIN);
    BodyHandler small = BodyHandler.create().setBodyLimit(MAX_SOURCE_BODY);
    router.get("/v1/gitops/sources").handler(viewer).handler(this::list);
    router.post("/v1/gitops/sources").handler(small).handler(admin).handler(this::apply);
    router.put("/v1/gitops/sources").handler(small).handler(admin).handler(this::apply);
    router.get("/v1/gitops/sources/:name").handler(viewer).handler(this::get);
    router.delete("/v1/gitops/sources/:name").handler(admin).handler(this::delete);
    router.get("/v1/gitops/sources/:name/diff").handler(viewer).handler(this::sourceDiff);
    router
        .post("/v1/gitops/sources/:name/sync")
        .handler(small)
        .handler(operator)
        .handler(this::sync);
    router
        .post("/v1/gitops/sources/:name/suspend")
        .handler(operator)
        .handler(ctx -> suspend(ctx, true));
    router
        .post("/v1/gitops/sources/:name/resume")
        .handler(operator)
        .handler(ctx -> suspend(ctx, false));
    router
        .post("/v1/diff")
        .handler(BodyHandler.create().setBodyLimit(MAX_DIFF_BODY))
        .handler(viewer)
        .handler(this::filesDiff);
    return Future.succeededFuture();
  }

  private void list(RoutingContext ctx) {
    workers
        .executeBlocking(
            () -> {
              ObjectNode out = JsonMapping.mapper().createObjectNode();
              ArrayNode items = out.putArray("items");
              Map<String, StoredWorkload> live = live();
              Fleet fleet = fleet();
              for (StoredGitSource s : sources.list()) {
                items.add(describe(s, statuses().get(s.spec().name()), live, fleet, false));
              }
              return out;
            },
            false)
        .onSuccess(out -> ok(ctx, 200, out))
        .onFailure(e -> failed(ctx, e));
  }

  private void get(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    workers
        .executeBlocking(
            () ->
                sources
                    .get(name)
                    .map(s -> describe(s, statuses().get(name), live(), fleet(), true)),
            false)
        .onSuccess(
            out -> {
              if (out.isEmpty()) {
                ApiErrors.end(ctx, 404, noSource(name));
              } else {
                ok(ctx, 200, out.get());
              }
            })
        .onFailure(e -> failed(ctx, e));
  }

  private void apply(RoutingContext ctx) {
    byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    String type = ctx.request().getHeader("Content-Type");
    boolean yaml = type != null && type.contains("yaml");
    workers
        .executeBlocking(() -> sources.apply(GitSourceSpecs.read(body, yaml)), false)
        .onSuccess(
            a -> {
              ObjectNode out = JsonMapping.mapper().createObjectNode();
              out.put("name", a.source().spec().name());
              out.put("generation", a.source().generation());
              out.put("outcome", a.outcome().name().toLowerCase(Locale.ROOT));
              ok(ctx, a.outcome() == ApplyResult.Outcome.CREATED ? 201 : 200, out);
            })
        .onFailure(e -> failed(ctx, e));
  }

  private void delete(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    workers
        .executeBlocking(() -> sources.delete(name), false)
        .onSuccess(
            deleted -> {
              if (deleted) {
                ok(
                    ctx,
                    200,
                    JsonMapping.mapper()
                        .createObjectNode()
                        .put(
                            "message",
                            "removed source " + name + " (its workloads stay, unmanaged)"));
              } else {
                ApiErrors.end(ctx, 404, noSource(name));
              }
            })
        .onFailure(e -> failed(ctx, e));
  }

  /**
   * Asks the leader to sync now. With a revision (a rollback), the source is suspended first so the
   * next poll does not move it forward again; `resume` follows the branch once more.
   */
  private void sync(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    String revision;
    try {
      JsonNode body =
          ctx.body().buffer() == null || ctx.body().length() == 0
              ? JsonMapping.mapper().createObjectNode()
              : JsonMapping.mapper().readTree(ctx.body().buffer().getBytes());
      revision = body.path("revision").isTextual() ? body.path("revision").asText() : null;
      Iterator<String> fields = body.fieldNames();
      while (fields.hasNext()) {
        String f = fields.next();
        if (!f.equals("revision")) {
          ApiErrors.end(ctx, 400, f + ": unknown field (a sync takes only \"revision\")");
          return;
        }
      }
    } catch (java.io.IOException e) {
      ApiErrors.end(ctx, 400, "not valid JSON: " + e.getMessage());
      return;
    }
    if (revision != null && !revision.matches("[0-9a-f]{40}")) {
      ApiErrors.end(ctx, 400, "revision: must be a full 40-character commit id");
      return;
    }
    long requested = System.currentTimeMillis();
    workers
        .executeBlocking(
            () -> {
              StoredGitSource s = sources.get(name).orElse(null);
              if (s == null) {
                return false;
              }
              if (revision != null && !s.spec().suspended()) {
                sources.apply(s.spec().withSuspend(true));
              }
              hazelcast
                  .<String>getTopic(SyncRequest.TOPIC)
                  .publish(new SyncRequest(name, SyncTrigger.MANUAL, revision).encode());
              return true;
            },
            false)
        .onSuccess(
            found -> {
              if (!found) {
                ApiErrors.end(ctx, 404, noSource(name));
                return;
              }
              ObjectNode out = JsonMapping.mapper().createObjectNode();
              out.put("requestedAtMillis", requested);
              out.put(
                  "message",
                  revision == null
                      ? "sync of " + name + " requested"
                      : "sync of "
                          + name
                          + " to "
                          + revision
                          + " requested; the source is suspended (berth gitops resume "
                          + name
                          + " follows its revision again)");
              ok(ctx, 202, out);
            })
        .onFailure(e -> failed(ctx, e));
  }

  private void suspend(RoutingContext ctx, boolean suspend) {
    String name = ctx.pathParam("name");
    workers
        .executeBlocking(
            () -> sources.get(name).map(s -> sources.apply(s.spec().withSuspend(suspend))), false)
        .onSuccess(
            a -> {
              if (a.isEmpty()) {
                ApiErrors.end(ctx, 404, noSource(name));
              } else {
                ok(
                    ctx,
                    200,
                    JsonMapping.mapper()
                        .createObjectNode()
                        .put("message", (suspend ? "suspended " : "resumed ") + name));
              }
            })
        .onFailure(e -> failed(ctx, e));
  }

  /** What syncing the source's revision now would change, fetched afresh; changes nothing. */
  private void sourceDiff(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    workers
        .executeBlocking(
            () -> {
              StoredGitSource s = sources.get(name).orElse(null);
              if (s == null) {
                return null;
              }
              var commit = fetcher.fetch(s.spec(), s.spec().revisionOrHead());
              SourceManifests.Result read = fetcher.manifests(s.spec(), commit.sha());
              ObjectNode out = diff(name, s.spec().pruning(), read);
              out.set("commit", JsonMapping.mapper().valueToTree(commit));
              return out;
            },
            false)
        .onSuccess(
            out -> {
              if (out == null) {
                ApiErrors.end(ctx, 404, noSource(name));
              } else {
                ok(ctx, 200, out);
              }
            })
        .onFailure(e -> failed(ctx, e));
  }

  /** `berth diff -f`: what applying the given files would change; changes nothing. */
  private void filesDiff(RoutingContext ctx) {
    JsonNode files;
    try {
      files =
          JsonMapping.mapper()
              .readTree(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes())
              .path("files");
    } catch (java.io.IOException e) {
      ApiErrors.end(ctx, 400, "not valid JSON: " + e.getMessage());
      return;
    }
    if (!files.isObject()) {
      ApiErrors.end(ctx, 400, "files: must map each file's name to its text");
      return;
    }
    SortedMap<String, byte[]> manifests = new TreeMap<>();
    files
        .fields()
        .forEachRemaining(
            f -> manifests.put(f.getKey(), f.getValue().asText().getBytes(StandardCharsets.UTF_8)));
    workers
        .executeBlocking(() -> diff(null, false, SourceManifests.read(manifests, limits)), false)
        .onSuccess(out -> ok(ctx, 200, out))
        .onFailure(e -> failed(ctx, e));
  }

  private ObjectNode diff(String source, boolean prune, SourceManifests.Result read) {
    ObjectNode out = JsonMapping.mapper().createObjectNode();
    ArrayNode errors = out.putArray("errors");
    read.errors().forEach(e -> errors.add(e.toString()));
    ArrayNode changes = out.putArray("changes");
    if (!read.valid()) {
      return out;
    }
    Map<String, WorkloadSpec> desired = new HashMap<>();
    read.specs().forEach(s -> desired.put(s.name(), s));
    Map<String, StoredWorkload> live = live();
    // Files on their own (berth diff -f) belong to no source: nothing conflicts, nothing is pruned.
    SyncPlan plan =
        SyncPlanner.plan(
            source == null ? "" : source,
            prune,
            desired,
            live,
            s -> source != null && sources.get(s).isPresent());
    for (WorkloadDiff.Change c : WorkloadDiff.of(plan, live)) {
      changes.add(JsonMapping.mapper().valueToTree(c));
    }
    out.set("orphans", JsonMapping.mapper().valueToTree(plan.orphans()));
    out.set("conflicts", JsonMapping.mapper().valueToTree(plan.conflicts()));
    return out;
  }

  private void hook(RoutingContext ctx, ApiContext context) {
    String name = ctx.pathParam("source");
    byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    String from = ctx.request().remoteAddress().hostAddress();
    // headers read here, on the event loop: the request is the loop's, not the worker's
    io.vertx.core.MultiMap headers = io.vertx.core.MultiMap.caseInsensitiveMultiMap();
    headers.addAll(ctx.request().headers());
    boolean ping = "ping".equals(ctx.request().getHeader("X-GitHub-Event"));
    workers
        .executeBlocking(
            () -> {
              StoredGitSource s = sources.get(name).orElse(null);
              // the same answer for an unknown source as for a bad signature: names stay private
              String refusal =
                  s == null || s.spec().webhookSecret() == null
                      ? "no source \"" + name + "\" with a webhook secret"
                      : WebhookSignature.refusal(headers, body, s.spec().webhookSecret());
              if (refusal != null) {
                return refusal;
              }
              if (!ping) {
                hazelcast
                    .<String>getTopic(SyncRequest.TOPIC)
                    .publish(new SyncRequest(name, SyncTrigger.WEBHOOK, null).encode());
              }
              return null;
            },
            false)
        .onSuccess(
            refusal -> {
              if (refusal == null) {
                ok(
                    ctx,
                    202,
                    JsonMapping.mapper().createObjectNode().put("message", "fetching " + name));
                return;
              }
              LOG.warning("webhook for source " + name + " from " + from + " refused: " + refusal);
              context
                  .guard()
                  .audit()
                  .record(
                      "webhook " + from,
                      "gitops-webhook-refused",
                      null,
                      null,
                      null,
                      name + ": " + refusal);
              ApiErrors.end(ctx, 401, "webhook refused: signature does not match");
            })
        .onFailure(e -> failed(ctx, e));
  }

  /** The source as the API shows it: spec without its secret, status, health of its workloads. */
  private ObjectNode describe(
      StoredGitSource s,
      GitSourceStatus status,
      Map<String, StoredWorkload> live,
      Fleet fleet,
      boolean full) {
    ObjectNode out = JsonMapping.mapper().createObjectNode();
    out.put("name", s.spec().name());
    out.put("generation", s.generation());
    out.set("spec", JsonMapping.mapper().valueToTree(s.spec().redacted()));
    out.put("webhook", s.spec().webhookSecret() != null);
    GitSourceStatus st =
        status == null ? GitSourceStatus.unknown(s.spec().name(), s.generation()) : status;
    ObjectNode statusNode = JsonMapping.mapper().valueToTree(st);
    List<String> names = st.workloads().stream().map(WorkloadSync::name).toList();
    Map<String, WorkloadHealth> health =
        WorkloadHealth.of(names, live, fleet.containers(), fleet.scheduling());
    WorkloadHealth overall = WorkloadHealth.worst(health.values());
    statusNode.put("health", overall.state());
    if (overall.reason() != null) {
      statusNode.put("healthReason", overall.reason());
    }
    ArrayNode workloads = statusNode.putArray("workloads");
    for (WorkloadSync w : st.workloads()) {
      ObjectNode item = JsonMapping.mapper().valueToTree(w);
      WorkloadHealth h = health.get(w.name());
      item.put("health", h.state());
      if (h.reason() != null) {
        item.put("healthReason", h.reason());
      }
      workloads.add(item);
    }
    if (!full) {
      statusNode.remove("history");
      statusNode.put("historyLength", st.history().size());
    }
    out.set("status", statusNode);
    return out;
  }

  private record Fleet(
      java.util.Collection<ContainerReport> containers, Map<String, SchedulingStatus> scheduling) {}

  private Fleet fleet() {
    IMap<String, ContainerReport> containers = hazelcast.getMap(FleetMaps.CONTAINERS);
    IMap<String, SchedulingStatus> scheduling = hazelcast.getMap(FleetMaps.SCHEDULING);
    return new Fleet(List.copyOf(containers.values()), Map.copyOf(scheduling));
  }

  private Map<String, StoredWorkload> live() {
    Map<String, StoredWorkload> live = new HashMap<>();
    store.list().forEach(w -> live.put(w.spec().name(), w));
    return live;
  }

  private IMap<String, GitSourceStatus> statuses() {
    return hazelcast.getMap(FleetMaps.GITOPS);
  }

  private static String noSource(String name) {
    return "no source named \"" + name + "\"";
  }

  private static void failed(RoutingContext ctx, Throwable e) {
    if (e instanceof GitSourceSpecs.InvalidGitSourceException invalid) {
      ObjectNode out = JsonMapping.mapper().createObjectNode();
      out.put("message", "invalid source");
      ArrayNode details = out.putArray("details");
      invalid.errors().forEach(err -> details.add(err.toString()));
      ok(ctx, 400, out);
    } else if (e instanceof IllegalArgumentException) {
      ApiErrors.end(ctx, 400, e.getMessage());
    } else if (e instanceof java.io.IOException) {
      ApiErrors.end(ctx, 502, e.getMessage()); // the repository could not be read
    } else {
      ApiErrors.end(ctx, 503, "the GitOps store failed: " + e.getMessage());
    }
  }

  private static void ok(RoutingContext ctx, int status, ObjectNode body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(JsonMapping.writeCompact(body));
  }
}
