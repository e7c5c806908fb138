package dev.berth.chaos.experiment.faults;

import dev.berth.chaos.experiment.Fault;
import dev.berth.chaos.experiment.FaultContext;
import dev.berth.chaos.lab.Lab;
import java.util.Set;

/**
 * A fault of one agent (the one that runs the singleton, see {@link FaultContext#agentToHit}):
 * detected when the fleet's view no longer shows the node alive; its containers do not count while
 * the fault lasts.
 */
abstract class AgentFault implements Fault {
  protected final FaultContext context;
  protected final Lab.Member agent;
  private final long durationMillis;

  AgentFault(FaultContext context, long durationMillis) {
    this.context = context;
    this.agent = context.agentToHit();
    this.durationMillis = durationMillis;
  }

  @Override
  public String member() {
    return agent.name();
  }

  @Override
  public String target() {
    return agent.name();
  }

  @Override
  public long durationMillis() {
    return durationMillis;
  }

  @Override
  public Set<String> lostNodes() {
    return Set.of(agent.name());
  }

  @Override
  public boolean detected() throws Exception {
    return !context.lab().aliveNodes().contains(agent.name());
  }
}
