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

  /** {@code kafka}: where the fleet's events are read from (null: the timeline stays empty). */
  public Dashboard(KafkaAccess kafka) {
    this.kafka = kafka;
  }

  @Override
  public void mountPublic(Router router, ApiContext context) {
    DashboardAssets.mount(router);
    router.get("/v1/watch").handler(new WatchEndpoint(context.vertx(), context.guard().tokens()));
  }

  @Override
  public Future<Void> mount(Router router, ApiContext context) {
    return context
        .vertx()
        .deployVerticle(new FleetStateVerticle(context.fleetView(), context.store(), kafka))
        .mapEmpty();
  }
}
