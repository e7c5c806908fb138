package dev.berth.controlplane.api;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;

/**
 * More that the fleet API's server answers on its own port (the dashboard): mounted while the API
 * starts, its verticles deployed from there (so they go when the API goes).
 */
public interface ApiExtension {
  /**
   * Routes answered before the bearer-token check: what carries no fleet data (the dashboard's page
   * and scripts) or authenticates itself (a WebSocket's first message, which a browser can send
   * where it cannot set a header).
   */
  default void mountPublic(Router router, ApiContext context) {}

  /** Routes behind the bearer-token check; the future completes once they can be answered. */
  Future<Void> mount(Router router, ApiContext context);
}
