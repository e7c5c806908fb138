package dev.berth.agent.node;

import dev.berth.model.fleet.ContainerReport;
import dev.berth.model.fleet.ContainerState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.AbstractVerticle;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The node's gauges that nothing else owns: containers by state (from the last reconcile pass) and
 * the event loop's lag (how late a 100 ms timer fires: a blocked or overloaded loop shows here
 * first).
 */
public final class MetricsVerticle extends AbstractVerticle {
  private static final long TICK_MILLIS = 100;
  private final MeterRegistry metrics;
  private final String node;
  private volatile List<ContainerReport> last = List.of(); // read by the registry's scrapes

  public MetricsVerticle(MeterRegistry metrics, String node) {
    this.metrics = metrics;
    this.node = node;
  }

  @Override
  public void start() {
    vertx
        .eventBus()
        .<NodeReports>consumer(AgentAddresses.reports(node), m -> last = m.body().reports());
    for (ContainerState state : ContainerState.values()) {
      Gauge.builder(
              "berth_agent_containers",
              this,
              v -> v.last.stream().filter(c -> c.state() == state).count())
          .tag("state", state.wire())
          .description("containers of this node by state")
          .register(metrics);
    }
    Timer lag =
        Timer.builder("berth_agent_event_loop_lag")
            .description("how late the event loop runs a timer")
            .register(metrics);
    long[] expected = {System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS)};
    vertx.setPeriodic(
        TICK_MILLIS,
        t -> {
          long now = System.nanoTime();
          lag.record(Math.max(0, now - expected[0]), TimeUnit.NANOSECONDS);
          expected[0] = now + TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
        });
  }
}
