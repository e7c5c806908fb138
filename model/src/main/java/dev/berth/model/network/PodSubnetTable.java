package dev.berth.model.network;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The fleet's pod address plan (Kubernetes' cluster CIDR and node CIDRs): the cluster range, the
 * length of each node's subnet, and which node holds which subnet. Immutable: every change is a new
 * table, so the Hazelcast map holding it can be updated with compare-and-set.
 */
public record PodSubnetTable(String clusterCidr, int nodePrefix, Map<String, String> byNode) {
  /** The key of the one table in the map {@code FleetMaps.POD_SUBNETS}. */
  public static final String KEY = "table";

  /** Kubernetes' default node-cidr-mask-size: 254 addresses per node. */
  public static final int DEFAULT_NODE_PREFIX = 24;

  /** The most nodes a range may be divided among, so that a table stays a few kilobytes. */
  public static final int MAX_NODES = 4096;

  public PodSubnetTable {
    Ipv4Cidr range = Ipv4Cidr.parse(clusterCidr);
    if (nodePrefix < range.prefix() || nodePrefix > 30) {
      throw new IllegalArgumentException(
          "a node subnet of /"
              + nodePrefix
              + " does not fit the cluster range "
              + clusterCidr
              + " (it must be at least as long as the range's prefix and at most /30)");
    }
    byNode = new TreeMap<>(byNode);
  }

  /** An empty plan over {@code clusterCidr}. */
  public static PodSubnetTable of(String clusterCidr, int nodePrefix) {
    return new PodSubnetTable(clusterCidr, nodePrefix, Map.of());
  }

  /** The table after {@code node} claimed a subnet, and that subnet. */
  public record Claim(PodSubnetTable table, String subnet) {}

  /**
   * The subnet {@code node} holds, else {@code preferred} if it is a free subnet of this plan (a
   * node keeps its addresses when the table was lost), else the first free one.
   *
   * @throws IllegalStateException when every subnet is taken
   */
  public Claim claim(String node, String preferred) {
    String held = byNode.get(node);
    if (held != null) {
      return new Claim(this, held);
    }
    Ipv4Cidr range = Ipv4Cidr.parse(clusterCidr);
    if (preferred != null && isFreeSubnet(range, preferred)) {
      return new Claim(with(node, preferred), preferred);
    }
    long count = Math.min(range.subnetCount(nodePrefix), MAX_NODES);
    for (long i = 0; i < count; i++) {
      String s = range.subnet(i, nodePrefix).toString();
      if (!byNode.containsValue(s)) {
        return new Claim(with(node, s), s);
      }
    }
    throw new IllegalStateException(
        "the cluster range "
            + clusterCidr
            + " is exhausted: all "
            + count
            + " /"
            + nodePrefix
            + " node subnets are taken; remove nodes that are gone (berth delete node NAME)");
  }

  private boolean isFreeSubnet(Ipv4Cidr range, String candidate) {
    try {
      Ipv4Cidr c = Ipv4Cidr.parse(candidate);
      return c.prefix() == nodePrefix && range.contains(c) && !byNode.containsValue(c.toString());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The table without {@code node}'s subnet. */
  public PodSubnetTable release(String node) {
    if (!byNode.containsKey(node)) {
      return this;
    }
    Map<String, String> m = new TreeMap<>(byNode);
    m.remove(node);
    return new PodSubnetTable(clusterCidr, nodePrefix, m);
  }

  public Optional<String> subnetOf(String node) {
    return Optional.ofNullable(byNode.get(node));
  }

  private PodSubnetTable with(String node, String subnet) {
    Map<String, String> m = new TreeMap<>(byNode);
    m.put(node, subnet);
    return new PodSubnetTable(clusterCidr, nodePrefix, m);
  }
}
