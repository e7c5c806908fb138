package dev.berth.controlplane.scheduler;

import dev.berth.controlplane.ControlPlaneEvents;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs scheduler passes on a worker, one at a time: when a workload changes and every second (nodes come
 * and go without events: an expired lease is noticed by the next pass).
 */
public final class SchedulerVerticle extends AbstractVerticle {
  private final SchedulerPass pass;
  private final long intervalMillis;
  private final long startupGraceMillis;
  private volatile boolean ready;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean again = new AtomicBoolean();
  private final AtomicReference<SchedulerPass.Outcome> last = new AtomicReference<>();
  private WorkerExecutor worker;

  /**
   * {@code startupGraceMillis}: how long to wait before the first pass (a lease's length), so that nodes
   * re-register after a control-plane restart before their absence could move or remove anything.
   */
  public SchedulerVerticle(SchedulerPass pass, long intervalMillis, long startupGraceMillis) {
    this.pass = pass;
    this.intervalMillis = intervalMillis;
    this.startupGraceMillis = startupGraceMillis;
  }

  @Override
  public void start() {
    worker = vertx.createSharedWorkerExecutor("berth-scheduler", 1);
    vertx.eventBus().consumer(ControlPlaneEvents.WORKLOADS_CHANGED, m -> trigger());
    vertx.setPeriodic(intervalMillis, t -> trigger());
    vertx.setTimer(Math.max(1, startupGraceMillis), t -> {
      ready = true;
      trigger();
    });
  }

  /** What the latest pass did, or null before the first. */
  public SchedulerPass.Outcome lastOutcome() {
    return last.get();
  }

  private void trigger() {
    if (!ready) {
      return;
    }
    if (!running.compareAndSet(false, true)) {
      again.set(true);
      return;
    }
    worker.executeBlocking(pass::run, true).onComplete(r -> {
      if (r.succeeded()) {
        last.set(r.result());
      }
      running.set(false);
      if (again.getAndSet(false)) {
        trigger();
      }
    });
  }

  @Override
  public void stop() {
    if (worker != null) {
      worker.close();
    }
  }
}
