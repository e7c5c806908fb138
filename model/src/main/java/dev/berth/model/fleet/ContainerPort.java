package dev.berth.model.fleet;

/**
 * A port a workload's containers listen on (Kubernetes' containerPort): {@code hostPort}, when
 * given, publishes it on the node; protocol TCP (the default) or UDP.
 */
public record ContainerPort(String name, Integer containerPort, Integer hostPort, String protocol) {
  /** TCP unless UDP is asked for. */
  public String protocolOrTcp() {
    return protocol == null ? "TCP" : protocol;
  }

  /** True when the port is published on the node. */
  public boolean published() {
    return hostPort != null && hostPort > 0;
  }
}
