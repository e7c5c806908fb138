package dev.berth.dashboard.web;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * Serves the dashboard's page and its built assets from this module's jar (no CDN: it works
 * offline), with headers that keep it to itself: a content security policy allowing only its own
 * origin, no framing, no sniffing, no referrer. The hashed assets are cached for a year, the page
 * never (so a new build is picked up at once).
 */
public final class DashboardAssets {
  /** Where the build puts the assets on the classpath. */
  static final String WEBROOT = "berth-dashboard";

  private static final String POLICY =
      "default-src 'self'; connect-src 'self'; img-src 'self' data:; "
          + "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; "
          + "form-action 'self'";

  private DashboardAssets() {}

  public static void mount(Router router) {
    StaticHandler files =
        StaticHandler.create(WEBROOT)
            .setIndexPage("index.html")
            .setCachingEnabled(false)
            .setDefaultContentEncoding("UTF-8");
    router.get("/").handler(DashboardAssets::headers).handler(files);
    router.get("/index.html").handler(DashboardAssets::headers).handler(files);
    router.get("/favicon.svg").handler(DashboardAssets::headers).handler(files);
    router
        .get("/assets/*")
        .handler(
            ctx -> {
              headers(ctx.response());
              ctx.response().putHeader("Cache-Control", "public, max-age=31536000, immutable");
              ctx.next();
            })
        // A prefix route's handler sees the path below the prefix: its own root.
        .handler(
            StaticHandler.create(WEBROOT + "/assets")
                .setCachingEnabled(false)
                .setDefaultContentEncoding("UTF-8"))
        .handler(ctx -> ctx.response().setStatusCode(404).end("no such asset"));
  }

  private static void headers(RoutingContext ctx) {
    headers(ctx.response());
    ctx.response().putHeader("Cache-Control", "no-cache");
    ctx.next();
  }

  private static void headers(HttpServerResponse r) {
    r.putHeader("Content-Security-Policy", POLICY)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Referrer-Policy", "no-referrer");
  }
}
