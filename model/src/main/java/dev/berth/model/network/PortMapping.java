package dev.berth.model.network;

/**
 * A port published on the node (the portmap plugin's runtimeConfig entry): traffic to {@code
 * hostPort} reaches {@code containerPort} in the container; protocol "tcp" or "udp".
 */
public record PortMapping(int hostPort, int containerPort, String protocol, String hostIP) {}
