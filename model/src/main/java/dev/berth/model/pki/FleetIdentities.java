package dev.berth.model.pki;

/**
 * The organizations (O=) the fleet's CA puts in certificates, which say what a peer is: a control
 * plane (may use a node's API), a node (serves a node API), a monitor (may scrape a node's
 * metrics).
 */
public final class FleetIdentities {
  public static final String CONTROL_PLANES = "berth:control-planes";
  public static final String NODES = "berth:nodes";
  public static final String MONITORING = "berth:monitoring";

  private FleetIdentities() {}
}
