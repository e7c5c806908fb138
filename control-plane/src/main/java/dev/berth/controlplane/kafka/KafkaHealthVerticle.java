package dev.berth.controlplane.kafka;

import dev.berth.model.fleet.KafkaAccess;
import dev.berth.model.fleet.KafkaClientConfig;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

/**
 * Whether this control plane reaches Kafka, checked every second on a worker (a cluster description
 * with a 2 s limit), as kube-apiserver's readiness checks etcd: what `GET /v1/cluster` and a chaos
 * experiment's detection read.
 */
public final class KafkaHealthVerticle extends AbstractVerticle {
  private static final int LIMIT_MILLIS = 2000;

  /** The last check: reachable or not, since when, and the error when not. */
  public record Health(boolean reachable, long sinceMillis, long checkedAtMillis, String error) {}

  private final KafkaAccess kafka;
  private volatile Health health = new Health(true, System.currentTimeMillis(), 0, null);
  private WorkerExecutor worker;
  private Admin admin;
  private boolean checking;

  public KafkaHealthVerticle(KafkaAccess kafka) {
    this.kafka = kafka;
  }

  public Health health() {
    return health;
  }

  @Override
  public void start() {
    worker = vertx.createSharedWorkerExecutor("berth-kafka-health", 1);
    java.util.Properties p = KafkaClientConfig.admin(kafka);
    p.setProperty("request.timeout.ms", Integer.toString(LIMIT_MILLIS));
    p.setProperty("default.api.timeout.ms", Integer.toString(LIMIT_MILLIS));
    p.setProperty("reconnect.backoff.max.ms", "500");
    admin = Admin.create(p);
    vertx.setPeriodic(1000, t -> check());
  }

  private void check() {
    if (checking) {
      return;
    }
    checking = true;
    worker
        .executeBlocking(
            () -> {
              long now = System.currentTimeMillis();
              String error = null;
              try {
                admin.describeCluster().nodes().get(LIMIT_MILLIS, TimeUnit.MILLISECONDS);
              } catch (Exception e) {
                error = e.getCause() != null ? e.getCause().toString() : e.toString();
              }
              Health was = health;
              boolean reachable = error == null;
              long since = was.reachable() == reachable ? was.sinceMillis() : now;
              return new Health(reachable, since, now, error);
            },
            false)
        .onSuccess(h -> health = h)
        .onComplete(r -> checking = false);
  }

  @Override
  public void stop() {
    if (admin != null) {
      admin.close(java.time.Duration.ofSeconds(2));
    }
    if (worker != null) {
      worker.close();
    }
  }
}
