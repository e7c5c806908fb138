package dev.berth.controlplane.scheduler;

import dev.berth.controlplane.ControlPlaneEvents;
import dev.berth.controlplane.cluster.LeaderLease;
import dev.berth.controlplane.kafka.TransactionalWriter;
import dev.berth.model.concurrent.OnePassAtATime;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.CompletionStage;
import java.util.logging.Logger;

/**
 * Runs scheduler passes on a worker, one at a time: when a workload changes and every second (nodes
 * come and go without events: an expired lease is noticed by the next pass). With a leader lease,
 * only the control plane that holds it schedules; the others wait and take over when it lapses.
 */
public final class SchedulerVerticle extends AbstractVerticle {
  private static final Logger LOG = Logger.getLogger(SchedulerVerticle.class.getName());
  private final SchedulerPass pass;
  private final long intervalMillis;
  private final long startupGraceMillis;
  private final LeaderLease leadership;
  private final OnePassAtATime passes = new OnePassAtATime(this::pass);
  private volatile boolean ready;
  private volatile boolean leader;
  private WorkerExecutor worker;

  /**
   * {@code startupGraceMillis}: how long to wait before the first pass (a lease's length), so that
   * nodes re-register after a control-plane restart before their absence could move or remove
   * anything.
   */
  public SchedulerVerticle(SchedulerPass pass, long intervalMillis, long startupGraceMillis) {
    this(pass, intervalMillis, startupGraceMillis, null);
  }

  /** {@code leadership} null: this is the only control plane. */
  public SchedulerVerticle(
      SchedulerPass pass, long intervalMillis, long startupGraceMillis, LeaderLease leadership) {
    this.pass = pass;
    this.intervalMillis = intervalMillis;
    this.startupGraceMillis = startupGraceMillis;
    this.leadership = leadership;
    this.leader = leadership == null;
  }

  @Override
  public void start() {
    worker = vertx.createSharedWorkerExecutor("berth-scheduler", 1);
    vertx.eventBus().consumer(ControlPlaneEvents.WORKLOADS_CHANGED, m -> trigger());
    vertx.setPeriodic(intervalMillis, t -> trigger());
    vertx.setTimer(
        Math.max(1, startupGraceMillis),
        t -> {
          ready = true;
          trigger();
        });
  }

  private void trigger() {
    if (ready) {
      passes.trigger();
    }
  }

  /** How many scheduler passes have finished (as leader or not) since the verticle started. */
  public long finishedPasses() {
    return passes.finishedPasses();
  }

  private CompletionStage<?> pass() {
    return worker
        .executeBlocking(
            () -> {
              // The lease is checked right before acting: a control plane that lost it does
              // nothing.
              if (leadership != null && !leadership.acquireOrRenew()) {
                leader = false;
                return null;
              }
              try {
                if (!leader) {
                  try {
                    pass.resync(); // fences the previous leader, reads what it placed
                  } catch (RuntimeException e) {
                    // a lease held by one that cannot lead would keep every other out
                    if (leadership != null) {
                      leadership.release();
                    }
                    throw e;
                  }
                  leader = true; // only once that worked: a failed resync is tried again
                  LOG.info("this control plane schedules now");
                }
                return pass.run();
              } catch (TransactionalWriter.FencedException e) {
                // another control plane leads though the lease said this one did (a split
                // cluster, a pause): stop, and come back only once this one sees the fleet
                LOG.warning(e.getMessage());
                leader = leadership == null;
                if (leadership != null) {
                  leadership.standDown();
                }
                return null;
              }
            },
            true)
        .onFailure(e -> LOG.warning("scheduler pass failed: " + e.getMessage()))
        .toCompletionStage();
  }

  /**
   * Hands the lease back (a Hazelcast call, so on the worker) so that another need not wait for it
   * to lapse.
   */
  @Override
  public void stop(Promise<Void> stopped) {
    if (worker == null) {
      stopped.complete();
      return;
    }
    worker
        .executeBlocking(
            () -> {
              if (leadership != null && leader) {
                leadership.release();
              }
              return null;
            },
            true)
        .onComplete(
            r -> {
              worker.close();
              stopped.complete();
            });
  }
}
