package dev.berth.controlplane.gitops;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.topic.ITopic;
import dev.berth.controlplane.ControlPlaneEvents;
import dev.berth.controlplane.cluster.LeaderLease;
import dev.berth.controlplane.kafka.TransactionalWriter;
import dev.berth.controlplane.specs.WorkloadStore;
import dev.berth.model.concurrent.OnePassAtATime;
import dev.berth.model.fleet.FleetMaps;
import dev.berth.model.fleet.StoredWorkload;
import dev.berth.model.gitops.GitSourceStatus;
import dev.berth.model.gitops.StoredGitSource;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.WorkerExecutor;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The GitOps sync controller: follows every declared source (a pass every interval, on a webhook or
 * a user's request, and when one of its workloads changes in the fleet) and acts only while this
 * control plane holds the scheduler's leader lease; the others keep their sources' timers and take
 * over when it lapses. Passes run on workers, one per source at a time.
 */
public final class GitOpsController extends AbstractVerticle {
  private static final Logger LOG = Logger.getLogger(GitOpsController.class.getName());
  static final long LEADERSHIP_CHECK_MILLIS = 1_000;

  private final GitSourceStore sources;
  private final WorkloadStore store;
  private final SourceFetcher fetcher;
  private final TransactionalWriter writer;
  private final LeaderLease lease;
  private final HazelcastInstance hazelcast;
  private final SourcePass pass;
  private final Map<String, SourceLoop> loops = new HashMap<>(); // event loop only
  private volatile boolean leader;
  private boolean stopped; // event loop only: listeners outlive the verticle by a moment
  private WorkerExecutor workers;
  private IMap<String, GitSourceStatus> statuses;
  private UUID requestListener;

  /** {@code lease} null: this is the only control plane. */
  public GitOpsController(
      GitSourceStore sources,
      WorkloadStore store,
      SourceFetcher fetcher,
      TransactionalWriter writer,
      LeaderLease lease,
      HazelcastInstance hazelcast,
      dev.berth.model.fleet.SpecLimits limits) {
    this.sources = sources;
    this.store = store;
    this.fetcher = fetcher;
    this.writer = writer;
    this.lease = lease;
    this.hazelcast = hazelcast;
    this.pass = new SourcePass(store, sources, fetcher, writer, limits, System::currentTimeMillis);
  }

  /** One source's timer, its passes, and what the next pass is for. */
  private final class SourceLoop {
    StoredGitSource source;
    long timer = -1;
    final AtomicReference<SyncRequest> pending = new AtomicReference<>();
    final OnePassAtATime passes = new OnePassAtATime(this::run);
    // touched by one pass at a time, on a worker; null: seed it from the status map
    volatile SourceProgress progress;

    SourceLoop(StoredGitSource source) {
      this.source = source;
    }

    void request(SyncTrigger trigger, String revision) {
      SyncRequest next = new SyncRequest(source.spec().name(), trigger, revision);
      pending.accumulateAndGet(
          next, (a, b) -> a == null || b.trigger().compareTo(a.trigger()) >= 0 ? b : a);
      if (leader) {
        passes.trigger();
      }
    }

    private CompletionStage<?> run() {
      SyncRequest r = pending.getAndSet(null);
      StoredGitSource s = source;
      if (r == null || !leader) {
        return Future.succeededFuture().toCompletionStage();
      }
      return workers
          .executeBlocking(
              () -> {
                if (progress == null) {
                  progress = SourceProgress.from(statuses.get(s.spec().name()));
                }
                GitSourceStatus status;
                try {
                  status = pass.run(s, progress, r.trigger(), r.revision());
                } catch (TransactionalWriter.FencedException e) {
                  LOG.warning(e.getMessage());
                  leader = false;
                  if (lease != null) {
                    lease.standDown(); // the scheduler stands down with it: one lease
                  }
                  return null;
                }
                if (!status.equals(progress.written) && leader) {
                  statuses.set(s.spec().name(), status);
                  progress.written = status;
                }
                return progress.wrote;
              },
              false)
          .onSuccess(
              wrote -> {
                if (Boolean.TRUE.equals(wrote)) {
                  // the scheduler places the change now instead of at its next tick
                  vertx.eventBus().publish(ControlPlaneEvents.WORKLOADS_CHANGED, s.spec().name());
                }
              })
          .onFailure(
              e ->
                  LOG.log(
                      Level.WARNING,
                      "sync pass of source " + s.spec().name() + " failed: " + e.getMessage(),
                      e))
          .toCompletionStage();
    }
  }

  @Override
  public void start(Promise<Void> started) {
    workers = vertx.createSharedWorkerExecutor("berth-gitops", 4);
    statuses = hazelcast.getMap(FleetMaps.GITOPS);
    Context context = vertx.getOrCreateContext();
    sources.addListener((name, s) -> context.runOnContext(v -> sourceChanged(name, s)));
    store.addListener((name, w) -> context.runOnContext(v -> workloadChanged(name, w)));
    ITopic<String> requests = hazelcast.getTopic(SyncRequest.TOPIC);
    requestListener =
        requests.addMessageListener(
            m -> {
              SyncRequest r = SyncRequest.decode(m.getMessageObject());
              context.runOnContext(v -> requested(r));
            });
    vertx.setPeriodic(LEADERSHIP_CHECK_MILLIS, t -> checkLeadership());
    workers
        .executeBlocking(sources::list, false)
        .onSuccess(all -> all.forEach(s -> sourceChanged(s.spec().name(), s)))
        .<Void>mapEmpty()
        .onComplete(started);
    checkLeadership();
  }

  private void checkLeadership() {
    workers
        .executeBlocking(
            () -> {
              boolean now = lease == null || lease.acquireOrRenew();
              if (now && !leader) {
                writer.claim(); // fences the previous leader's writer, aborts what it left open
                // what the previous leader wrote must be in the view before anything is compared
                store.catchUp();
              } else if (!now && leader) {
                writer.discard();
              }
              return now;
            },
            false)
        .onSuccess(
            now -> {
              boolean gained = now && !leader;
              leader = now;
              if (gained) {
                // another leader may have synced since this one last led: start from its status
                loops.values().forEach(l -> l.progress = null);
                loops.values().forEach(l -> l.request(SyncTrigger.SOURCE, null));
              }
            })
        .onFailure(e -> LOG.warning("checking the GitOps lease: " + e.getMessage()));
  }

  private void sourceChanged(String name, StoredGitSource s) {
    if (stopped) {
      return;
    }
    SourceLoop loop = loops.get(name);
    if (s == null) {
      if (loop != null) {
        vertx.cancelTimer(loop.timer);
        loops.remove(name);
        workers.executeBlocking(
            () -> {
              if (leader) {
                statuses.delete(name);
              }
              fetcher.forget(name);
              return null;
            },
            false);
      }
      return;
    }
    if (loop == null) {
      loop = new SourceLoop(s);
      loops.put(name, loop);
    } else if (loop.source.generation() == s.generation()) {
      return;
    }
    long interval = s.spec().intervalMillis();
    if (loop.timer < 0 || loop.source.spec().intervalMillis() != interval) {
      vertx.cancelTimer(loop.timer);
      SourceLoop l = loop;
      loop.timer = vertx.setPeriodic(interval, t -> l.request(SyncTrigger.POLL, null));
    }
    loop.source = s;
    loop.request(SyncTrigger.SOURCE, null);
  }

  private void workloadChanged(String name, StoredWorkload w) {
    for (SourceLoop loop : loops.values()) {
      SourceProgress p = loop.progress;
      boolean mine =
          (w != null && loop.source.spec().name().equals(w.source()))
              || (p != null && p.desired != null && p.desired.containsKey(name))
              || (p != null && p.written != null && p.written.orphans().contains(name));
      if (mine) {
        loop.request(SyncTrigger.DRIFT, null);
      }
    }
  }

  private void requested(SyncRequest r) {
    SourceLoop loop = loops.get(r.source());
    if (loop != null) {
      loop.request(r.trigger(), r.revision());
    }
  }

  /** Whether this control plane is the one that syncs. */
  public boolean leader() {
    return leader;
  }

  /** Sets what runs between sending a sync's records and committing them (failover tests). */
  void beforeCommit(Runnable hook) {
    pass.beforeCommit = hook;
  }

  @Override
  public void stop(Promise<Void> done) {
    stopped = true;
    loops.values().forEach(l -> vertx.cancelTimer(l.timer));
    loops.clear();
    leader = false;
    workers
        .executeBlocking(
            () -> {
              hazelcast.getTopic(SyncRequest.TOPIC).removeMessageListener(requestListener);
              writer.close();
              return null;
            },
            false)
        .onComplete(
            r -> {
              workers.close();
              done.complete();
            });
  }
}
