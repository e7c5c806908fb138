package dev.berth.dashboard;

import dev.berth.controlplane.api.ApiContext;
import dev.berth.controlplane.api.ApiExtension;
import dev.berth.dashboard.stream.FleetStateVerticle;
import dev.berth.dashboard.watch.WatchEndpoint;
import dev.berth.dashboard.web.DashboardAssets;
import dev.berth.model.fleet.KafkaAccess;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;

/**
 * The dashboard on the fleet API's port: its page and assets, the watch stream (/v1/watch) fed by
 * one {@link FleetStateVerticle} per control-plane process, whatever the number of browsers.
 */
public final class Dashboard implements ApiExtension {
  private final KafkaAccess kafka;
  private WatchEndpoint watch;

  /** {@code kafka}: where the fleet's events are read from (null: the timeline stays empty). */
  public Dashboard(KafkaAccess kafka) {
    this.kafka = kafka;
  }

  @Override
  public void mountPublic(Router router, ApiContext context) {
    DashboardAssets.mount(router);
    watch = new WatchEndpoint(context.vertx(), context.guard().tokens());
    router.get("/v1/watch").handler(watch);
  }

  @Override
  public Future<Void> mount(Router router, ApiContext context) {
    return context
        .vertx()
        .deployVerticle(new FleetStateVerticle(context.fleetView(), context.store(), kafka))
        .mapEmpty();
  }

  /** Watchers connected now. */
  public int watchers() {
    return watch == null ? 0 : watch.open();
  }
}
