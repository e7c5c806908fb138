package dev.berth.chaos.load;

import dev.berth.chaos.lab.LabApi;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The load of an experiment: a bounded loop of applies, scales and deletes of a few small workloads
 * (load-0 ... load-N) at a steady rate, alternating between the control planes, every call and its
 * answer recorded, so that afterwards nothing acknowledged may be missing.
 */
public final class LoadGenerator implements AutoCloseable {
  /** Prefix of the load's workloads. */
  public static final String PREFIX = "load-";

  private final LabApi api;
  private final String image;
  private final int workloads;
  private final long periodMillis;
  private final int maxOps;
  private final Random random;
  private final List<LoadOp> ops = new ArrayList<>();
  private final Thread thread;
  private volatile boolean stopping;
  private int revision;

  /**
   * Starts {@code opsPerSecond} calls a second over {@code workloads} workloads, at most {@code
   * maxOps} in all, choices from {@code seed}.
   */
  public LoadGenerator(
      LabApi api, String image, int workloads, double opsPerSecond, int maxOps, long seed) {
    this.api = api;
    this.image = image;
    this.workloads = workloads;
    this.periodMillis = (long) (1000 / opsPerSecond);
    this.maxOps = maxOps;
    this.random = new Random(seed);
    this.thread = new Thread(this::loop, "berth-chaos-load");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    for (long seq = 0; seq < maxOps && !stopping; seq++) {
      long t0 = System.currentTimeMillis();
      try {
        one(seq);
      } catch (InterruptedException e) {
        return;
      }
      long wait = periodMillis - (System.currentTimeMillis() - t0);
      if (wait > 0) {
        try {
          TimeUnit.MILLISECONDS.sleep(wait);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private void one(long seq) throws InterruptedException {
    String workload = PREFIX + random.nextInt(workloads);
    boolean delete = random.nextInt(5) == 0;
    int replicas = 1 + random.nextInt(2);
    int rev = ++revision;
    LoadOp planned = new LoadOp(seq, workload, delete, replicas, rev, 0, 0, -1);
    int server = (int) (seq % api.servers().size());
    long sent = System.currentTimeMillis();
    int status;
    try {
      LabApi.Answer a =
          delete
              ? api.send(server, "DELETE", "/v1/workloads/" + workload, null)
              : api.send(server, "PUT", "/v1/workloads", planned.spec(image));
      status = a.status();
    } catch (IOException e) {
      status = -1;
    }
    synchronized (this) {
      ops.add(
          new LoadOp(
              seq, workload, delete, replicas, rev, sent, System.currentTimeMillis(), status));
    }
  }

  /** Every call made so far, in order. */
  public synchronized List<LoadOp> ops() {
    return List.copyOf(ops);
  }

  /** How many workloads the load uses. */
  public int workloads() {
    return workloads;
  }

  @Override
  public void close() throws InterruptedException {
    stopping = true;
    thread.join(10_000);
  }
}
