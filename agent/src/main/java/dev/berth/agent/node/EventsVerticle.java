package dev.berth.agent.node;

import dev.berth.model.fleet.ContainerReport;
import dev.berth.model.fleet.EventTopic;
import dev.berth.model.fleet.FleetEvent;
import dev.berth.model.fleet.KafkaClientConfig;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * Publishes each change of a container's state on this node to berth.events (started, stopped with
 * its exit code, restarted, failed, removed), by comparing each reconcile pass's reports with the
 * previous ones.
 */
public final class EventsVerticle extends AbstractVerticle {
  private static final Logger LOG = Logger.getLogger(EventsVerticle.class.getName());
  private final AgentConfig config;
  private final Map<String, ContainerReport> previous = new HashMap<>();
  private KafkaProducer<String, byte[]> producer;

  public EventsVerticle(AgentConfig config) {
    this.config = config;
  }

  @Override
  public void start(Promise<Void> started) {
    producer = KafkaProducer.create(vertx, KafkaClientConfig.durableProducer(config.kafka(), 0));
    vertx
        .eventBus()
        .<NodeReports>consumer(
            AgentAddresses.reports(config.nodeName()), m -> publishChanges(m.body().reports()));
    LocalCodec.register(vertx.eventBus(), FleetEvent.class);
    vertx
        .eventBus()
        .<FleetEvent>consumer(AgentAddresses.events(config.nodeName()), m -> send(m.body()));
    started.complete();
  }

  private void publishChanges(List<ContainerReport> reports) {
    long now = System.currentTimeMillis();
    Map<String, ContainerReport> current = new HashMap<>();
    for (ContainerReport r : reports) {
      current.put(r.containerId(), r);
      ContainerReport before = previous.get(r.containerId());
      if (before == null
          || before.state() != r.state()
          || before.restarts() != r.restarts()
          || !Objects.equals(before.exitCode(), r.exitCode())) {
        send(FleetEvent.of(r, now));
      }
    }
    for (ContainerReport gone : previous.values()) {
      if (!current.containsKey(gone.containerId())) {
        send(
            new FleetEvent(
                now,
                "container",
                config.nodeName(),
                gone.containerId(),
                gone.workload(),
                gone.generation(),
                "removed",
                null,
                gone.restarts(),
                null));
      }
    }
    previous.clear();
    previous.putAll(current);
  }

  private void send(FleetEvent e) {
    producer
        .send(
            KafkaProducerRecord.create(
                EventTopic.nodeTopic(config.nodeName()), EventTopic.key(e), EventTopic.encode(e)))
        .onFailure(
            err ->
                LOG.warning(
                    "cannot publish event for " + EventTopic.key(e) + ": " + err.getMessage()));
  }

  @Override
  public void stop(Promise<Void> stopped) {
    producer.close().onComplete(stopped);
  }
}
