package dev.berth.cli.bench;

import dev.berth.cli.fleetctl.ApiClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Apply-to-running latency on the single-machine fleet (`berth up` in this process): for each of N
 * single-container workloads, from the HTTP apply to the container's process running on the agent,
 * with everything in between for real (Kafka, scheduler, assignment consumer, reconciler, overlay
 * rootfs, runtime).
 */
@Command(
    name = "apply",
    description = "apply-to-running latency of single-container workloads on one agent")
final class ApplyToRunningBench implements Callable<Integer> {
  /** Kubernetes' pod start-up SLO is 5 s at p99; Berth's targets are far below it. */
  static final double TARGET_MEDIAN_MS = 100;

  static final double TARGET_P99_MS = 500;

  @Option(
      names = {"-n", "--workloads"},
      defaultValue = "100")
  int workloads;

  @Option(
      names = "--warmup",
      defaultValue = "5",
      description = "workloads applied first and not counted")
  int warmup;

  /**
   * What TLS and the token check add to each request, measured in the same run: GET /v1/whoami on
   * the fleet's API against the same Vert.x Web route on a plain HTTP server without a token, on a
   * kept-alive connection (what a client that stays up pays) and with a new client each time (a TLS
   * handshake per request, what each `berth` command pays).
   */
  private void printApiCost(BenchFleet fleet, double applyMedian) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Router plainRoutes = Router.router(vertx);
      plainRoutes
          .get("/v1/whoami")
          .handler(
              ctx ->
                  ctx.response()
                      .putHeader("Content-Type", "application/json")
                      .end("{\"name\":\"-\",\"role\":\"-\"}"));
      HttpServer plain =
          vertx
              .createHttpServer()
              .requestHandler(plainRoutes)
              .listen(0, "127.0.0.1")
              .toCompletionStage()
              .toCompletableFuture()
              .get();
      URI plainUri = URI.create("http://127.0.0.1:" + plain.actualPort() + "/v1/whoami");
      HttpClient plainKept = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      Samples kept = new Samples("TLS+token, kept");
      Samples fresh = new Samples("TLS+token, new");
      Samples plainKeptMs = new Samples("plain, kept");
      Samples plainFreshMs = new Samples("plain, new");
      ApiClient reused = fleet.newApiClient();
      for (int i = 0; i < warmup + workloads; i++) {
        long t0 = System.nanoTime();
        fleet.whoami(reused);
        long t1 = System.nanoTime();
        fleet.whoami(fleet.newApiClient());
        long t2 = System.nanoTime();
        plainKept.send(
            HttpRequest.newBuilder(plainUri).build(), HttpResponse.BodyHandlers.ofString());
        long t3 = System.nanoTime();
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .send(HttpRequest.newBuilder(plainUri).build(), HttpResponse.BodyHandlers.ofString());
        long t4 = System.nanoTime();
        if (i >= warmup) {
          kept.add(t1 - t0);
          fresh.add(t2 - t1);
          plainKeptMs.add(t3 - t2);
          plainFreshMs.add(t4 - t3);
        }
      }
      System.out.println();
      System.out.println("one request (GET /v1/whoami), same run; cost = TLS+token minus plain:");
      System.out.printf(
          "%-20s %10s %10s %10s %10s%n", "", "median ms", "p99 ms", "cost ms", "of apply");
      for (Samples[] pair :
          List.of(new Samples[] {kept, plainKeptMs}, new Samples[] {fresh, plainFreshMs})) {
        double cost = pair[0].medianMillis() - pair[1].medianMillis();
        for (Samples s : pair) {
          System.out.printf(
              "%-20s %10.2f %10.2f%n", s.name(), s.medianMillis(), s.percentileMillis(99));
        }
        System.out.printf(
            "%-20s %10s %10s %10.2f %9.1f%%%n", "", "", "", cost, 100 * cost / applyMedian);
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  @Override
  public Integer call() throws Exception {
    try (BenchFleet fleet = BenchFleet.start("berth-apply-bench-")) {
      Samples latency = new Samples("apply -> running");
      System.out.printf(
          "%d single-container workloads applied one after another (%d more first as warm-up)%n",
          workloads, warmup);
      for (int i = 0; i < warmup + workloads; i++) {
        String name = "bench-" + i;
        long t0 = System.nanoTime();
        fleet.apply(name);
        fleet.awaitRunning(BenchFleet.containerOf(name));
        if (i >= warmup) {
          latency.add(System.nanoTime() - t0);
        }
      }
      double median = latency.medianMillis();
      double p99 = latency.percentileMillis(99);
      System.out.printf("%-20s %10s %10s %10s%n", "", "median ms", "p99 ms", "max ms");
      System.out.printf(
          "%-20s %10.1f %10.1f %10.1f%n",
          latency.name(), median, p99, latency.percentileMillis(100));
      System.out.printf("%-20s %10.1f %10.1f%n", "target", TARGET_MEDIAN_MS, TARGET_P99_MS);
      System.out.printf(
          "%-20s %9.2fx %9.2fx%n", "vs target", median / TARGET_MEDIAN_MS, p99 / TARGET_P99_MS);
      printApiCost(fleet, median);
      return 0;
    }
  }
}
