package dev.berth.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Fetches a page from a server that may still be starting (a container's), retrying for 5 s. */
public final class HttpGet {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private HttpGet() {}

  /** The body at {@code url} once something answers there; the last failure after 5 s. */
  public static String retrying(String url) throws IOException, InterruptedException {
    IOException last = null;
    for (int i = 0; i < 50; i++) {
      try {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
      } catch (IOException e) {
        last = e; // not listening yet
        TimeUnit.MILLISECONDS.sleep(100);
      }
    }
    throw last;
  }
}
