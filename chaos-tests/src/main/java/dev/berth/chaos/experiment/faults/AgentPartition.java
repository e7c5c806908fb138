package dev.berth.chaos.experiment.faults;

import dev.berth.chaos.experiment.FaultContext;
import java.util.ArrayList;
import java.util.List;

/**
 * agent-partition: an agent's namespace cut off (iptables DROP both ways) from the broker and the
 * control planes, from the broker only (Kafka), or from the control planes only (Hazelcast), for
 * longer than its lease; then healed.
 */
public final class AgentPartition extends AgentFault {
  /** What the agent is cut off from. */
  public enum From {
    ALL,
    KAFKA,
    HAZELCAST
  }

  private final From from;

  public AgentPartition(FaultContext context, From from, long durationMillis) {
    super(context, durationMillis);
    this.from = from;
  }

  @Override
  public String target() {
    return agent.name() + " from " + from.name().toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public void inject() throws Exception {
    List<String> peers = new ArrayList<>();
    if (from != From.HAZELCAST) {
      peers.add(context.lab().broker().address()); // address:port, Kafka's traffic only
    }
    if (from != From.KAFKA) {
      context.lab().controlPlanes().forEach(c -> peers.add(c.address()));
    }
    for (String peer : peers) {
      context.lab().network().cut(agent.name(), peer);
    }
  }

  @Override
  public void heal() throws Exception {
    context.lab().network().heal(agent.name());
  }

  @Override
  public java.util.Set<String> lostNodes() {
    // cut off from Kafka alone, it keeps its lease and its replicas stay where they are
    return from == From.KAFKA ? java.util.Set.of() : super.lostNodes();
  }

  @Override
  public boolean detected() throws Exception {
    return from != From.KAFKA && super.detected();
  }

  @Override
  public boolean detectable() {
    // an agent cut off from Kafka alone still renews its lease through Hazelcast: the fleet's
    // view has nothing that shows it (it cannot get new assignments; what runs keeps running)
    return from != From.KAFKA;
  }
}
