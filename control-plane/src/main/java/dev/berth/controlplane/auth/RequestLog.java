package dev.berth.controlplane.auth;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Consumer;

/**
 * One line per API request once it is answered: client address, token name ("-" when it had none),
 * method and path, status, milliseconds, as an access log with the user field filled in.
 */
public final class RequestLog implements Handler<RoutingContext> {
  private final Consumer<String> sink;

  public RequestLog(Consumer<String> sink) {
    this.sink = sink;
  }

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addEndHandler(
        done ->
            sink.accept(
                ctx.request().remoteAddress().hostAddress()
                    + " "
                    + BearerAuthentication.caller(ctx).map(ApiToken::name).orElse("-")
                    + " \""
                    + ctx.request().method()
                    + " "
                    + ctx.request().path()
                    + "\" "
                    + ctx.response().getStatusCode()
                    + " "
                    + (System.nanoTime() - start) / 1_000_000
                    + "ms"));
    ctx.next();
  }
}
