package dev.berth.agent.node;

import dev.berth.agent.reconcile.Reconciler;
import dev.berth.model.concurrent.OnePassAtATime;
import dev.berth.model.fleet.Assignment;
import dev.berth.model.fleet.ContainerReport;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.WorkerExecutor;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs reconcile passes on a worker, one at a time: when the desired set changes and every few
 * seconds (level-triggered, so a missed event only delays). Keeps the desired set from the
 * consumer's changes and sends each pass's reports on.
 */
public final class ReconcileVerticle extends AbstractVerticle {
  private static final java.util.logging.Logger LOG =
      java.util.logging.Logger.getLogger(ReconcileVerticle.class.getName());

  /** A pass longer than this is said in the log, with how many containers it covered. */
  private static final long SLOW_PASS_NANOS = 10_000_000_000L;

  private final AgentConfig config;
  private final Reconciler reconciler;
  private final MeterRegistry metrics;
  private final DesiredSet desired = new DesiredSet();
  private final AtomicInteger desiredCount = new AtomicInteger();
  private final AtomicInteger queued = new AtomicInteger();
  private final OnePassAtATime passes = new OnePassAtATime(this::pass);
  private WorkerExecutor worker;

  public ReconcileVerticle(AgentConfig config, Reconciler reconciler, MeterRegistry metrics) {
    this.config = config;
    this.reconciler = reconciler;
    this.metrics = metrics;
  }

  @Override
  public void start() {
    worker = vertx.createSharedWorkerExecutor("berth-reconcile-" + config.nodeName(), 1);
    LocalCodec.register(vertx.eventBus(), NodeReports.class);
    vertx
        .eventBus()
        .<DesiredChange>consumer(
            AgentAddresses.desired(config.nodeName()),
            m -> {
              desired.apply(m.body());
              desiredCount.set(desired.size());
              queued.incrementAndGet();
              trigger();
            });
    vertx.setPeriodic(config.reconcileIntervalMillis(), t -> trigger());
    metrics.gauge("berth_agent_containers_desired", desiredCount);
    // Desired-state changes received and not yet taken into a pass.
    metrics.gauge("berth_agent_reconcile_queue_depth", queued);
    trigger();
  }

  /** How many reconcile passes have finished since the agent started. */
  public long finishedPasses() {
    return passes.finishedPasses();
  }

  private void trigger() {
    if (desired
        .caughtUp()) { // an incomplete desired set would remove containers that are still wanted
      passes.trigger();
    }
  }

  private CompletionStage<?> pass() {
    queued.set(0); // this pass reads the whole desired set, so it takes every change so far
    List<Assignment> wanted = desired.snapshot(); // on the loop: the set is confined to it
    Timer.Sample sample = Timer.start(metrics);
    return worker
        .<List<ContainerReport>>executeBlocking(() -> reconciler.reconcile(wanted), true)
        .onComplete(
            r -> {
              long nanos = sample.stop(metrics.timer("berth_agent_reconcile_seconds"));
              if (nanos > SLOW_PASS_NANOS) {
                LOG.warning(
                    "node "
                        + config.nodeName()
                        + ": a reconcile pass over "
                        + wanted.size()
                        + " desired containers took "
                        + nanos / 1_000_000
                        + " ms");
              }
            })
        .onSuccess(
            reports ->
                vertx
                    .eventBus()
                    .publish(
                        AgentAddresses.reports(config.nodeName()),
                        new NodeReports(config.nodeName(), reports)))
        .toCompletionStage();
  }

  @Override
  public void stop() {
    if (worker != null) {
      worker.close();
    }
  }
}
