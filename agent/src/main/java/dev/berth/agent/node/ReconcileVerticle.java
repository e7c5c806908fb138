package dev.berth.agent.node;

import dev.berth.model.fleet.ContainerReport;
import dev.berth.agent.reconcile.Reconciler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.WorkerExecutor;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs reconcile passes on a worker, one at a time: when the desired set changes and every few seconds
 * (level-triggered, so a missed event only delays). A change during a pass triggers one more pass.
 */
public final class ReconcileVerticle extends AbstractVerticle {
  public static final String REPORTS = "berth.agent.reports";
  private final AgentConfig config;
  private final DesiredSet desired;
  private final Reconciler reconciler;
  private final MeterRegistry metrics;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean again = new AtomicBoolean();
  private final java.util.concurrent.atomic.AtomicInteger queued = new java.util.concurrent.atomic.AtomicInteger();
  private WorkerExecutor worker;
  private volatile List<ContainerReport> last = List.of();

  public ReconcileVerticle(AgentConfig config, DesiredSet desired, Reconciler reconciler, MeterRegistry metrics) {
    this.config = config;
    this.desired = desired;
    this.reconciler = reconciler;
    this.metrics = metrics;
  }

  @Override
  public void start() {
    worker = vertx.createSharedWorkerExecutor("berth-reconcile-" + config.nodeName(), 1);
    vertx.eventBus().consumer(AssignmentConsumerVerticle.CHANGED, m -> {
      queued.incrementAndGet();
      trigger();
    });
    vertx.setPeriodic(config.reconcileIntervalMillis(), t -> trigger());
    metrics.gauge("berth_agent_containers_desired", desired, d -> d.snapshot().size());
    // Desired-state changes received and not yet taken into a pass.
    metrics.gauge("berth_agent_reconcile_queue_depth", queued);
    trigger();
  }

  public List<ContainerReport> lastReports() {
    return last;
  }

  private void trigger() {
    if (!desired.caughtUp()) {
      return; // an incomplete desired set would remove containers that are still wanted
    }
    if (!running.compareAndSet(false, true)) {
      again.set(true);
      return;
    }
    queued.set(0); // this pass reads the whole desired set, so it takes every change so far
    Timer.Sample sample = Timer.start(metrics);
    worker.<List<ContainerReport>>executeBlocking(() -> reconciler.reconcile(desired.snapshot()), true)
        .onComplete(r -> {
          sample.stop(metrics.timer("berth_agent_reconcile_seconds"));
          running.set(false);
          if (r.succeeded()) {
            last = r.result();
            vertx.eventBus().publish(REPORTS, config.nodeName());
          }
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
