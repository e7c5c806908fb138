package dev.berth.model.fleet;

import dev.berth.model.pki.FleetIdentities;

/**
 * Who a Kafka client is, from the certificate it shows the broker: Kafka's principal mapping rules
 * turn the fleet CA's subjects into short principals, and the broker's ACLs speak of those. A
 * control plane and the broker itself are super users; a node is {@code node:NAME} and may only
 * read its own assignments and write its own events; anyone else (a monitor, another CA's
 * certificate) is nobody Kafka lets do anything.
 */
public final class KafkaPrincipals {
  public static final String CONTROL_PLANE = "User:control-plane";
  public static final String BROKER = "User:kafka-broker";

  /** The value of the broker's ssl.principal.mapping.rules (subjects as RFC 2253 prints them). */
  public static final String MAPPING_RULES =
      "RULE:^CN=([a-z0-9][-a-z0-9.]*),O="
          + FleetIdentities.NODES
          + "$/node:$1/,"
          + "RULE:^CN=[^,]+,O="
          + FleetIdentities.CONTROL_PLANES
          + "$/control-plane/,"
          + "RULE:^CN=[^,]+,O="
          + FleetIdentities.KAFKA_BROKERS
          + "$/kafka-broker/,"
          + "DEFAULT";

  private KafkaPrincipals() {}

  /** The principal of node {@code node}. */
  public static String node(String node) {
    return "User:node:" + node;
  }

  /** The broker's super.users. */
  public static String superUsers() {
    return CONTROL_PLANE + ";" + BROKER;
  }
}
