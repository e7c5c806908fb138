package dev.berth.controlplane.auth;

import dev.berth.model.fleet.EventTopic;
import dev.berth.model.fleet.FleetEvent;
import dev.berth.model.fleet.KafkaAccess;
import dev.berth.model.fleet.KafkaClientConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.util.logging.Logger;

/**
 * Records on berth.events who ran a command in a container or read its logs through the API (kind
 * "audit"), as the Kubernetes audit log records pods/exec and pods/log. Sends without blocking.
 */
public final class AuditLog {
  private static final Logger LOG = Logger.getLogger(AuditLog.class.getName());

  /** What is recorded of a command: enough to see what it was, not a place to store data. */
  static final int MAX_DETAIL = 1024;

  private final KafkaProducer<String, byte[]> producer;

  private AuditLog(KafkaProducer<String, byte[]> producer) {
    this.producer = producer;
  }

  public static AuditLog create(Vertx vertx, KafkaAccess kafka) {
    return new AuditLog(KafkaProducer.create(vertx, KafkaClientConfig.durableProducer(kafka, 0)));
  }

  /**
   * Records that {@code actor} did {@code action} ("exec", "logs") on container {@code containerId}
   * of {@code workload} on {@code node}; {@code detail} is the command or the log request.
   */
  public void record(
      String actor,
      String action,
      String node,
      String containerId,
      String workload,
      String detail) {
    String text =
        detail != null && detail.length() > MAX_DETAIL
            ? detail.substring(0, MAX_DETAIL) + "..."
            : detail;
    FleetEvent e =
        new FleetEvent(
            System.currentTimeMillis(),
            "audit",
            node,
            containerId,
            workload,
            0,
            action,
            null,
            0,
            text,
            actor);
    producer
        .send(KafkaProducerRecord.create(EventTopic.TOPIC, EventTopic.key(e), EventTopic.encode(e)))
        .onFailure(
            err ->
                LOG.warning(
                    "cannot record "
                        + action
                        + " by "
                        + actor
                        + " on "
                        + containerId
                        + " in "
                        + EventTopic.TOPIC
                        + ": "
                        + err.getMessage()));
  }

  public Future<Void> close() {
    return producer.close();
  }
}
