package dev.berth.model.pki;

/**
 * The organizations (O=) the fleet's CA puts in certificates, which say what a peer is: a control
 * plane (may use a node's API and all of Kafka), a node (serves a node API, reads its own
 * assignments), a monitor (may scrape a node's metrics), a Kafka broker.
 */
public final class FleetIdentities {
  public static final String CONTROL_PLANES = "berth:control-planes";
  public static final String NODES = "berth:nodes";
  public static final String MONITORING = "berth:monitoring";
  public static final String KAFKA_BROKERS = "berth:kafka-brokers";

  private FleetIdentities() {}
}
